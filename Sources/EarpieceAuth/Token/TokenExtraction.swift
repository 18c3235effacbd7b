/// Finds the bearer token in the places a client can put it; pure functions over header values, no HTTP types.
public enum TokenExtraction {
    /// The WebSocket subprotocol of Earpiece's stream, which the server echoes when it accepts a socket.
    public static let webSocketProtocol = "earpiece.v1"
    /// The prefix of the protocol entry that carries the token: `bearer.<token>`.
    public static let bearerProtocolPrefix = "bearer."

    /// The token in an `Authorization: Bearer <token>` header value.
    ///
    /// The scheme is matched without regard to case (RFC 9110 §11.1); spaces and tabs around and between the
    /// parts are allowed. Returns `nil` for no header, another scheme, an empty token or one with whitespace in it.
    public static func bearer(fromAuthorization header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(whereSeparator: isWhitespace)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1])
    }

    /// The token in a `Sec-WebSocket-Protocol` header value, and the protocol to echo in the handshake.
    ///
    /// Browsers can't set headers on a WebSocket, so the client offers
    /// `Sec-WebSocket-Protocol: earpiece.v1, bearer.<token>` and the server answers with `earpiece.v1` — never
    /// with the entry that holds the token. Pass the values of several header lines joined with commas.
    /// Returns `nil` unless there is exactly one non-empty `bearer.` entry and `earpiece.v1` is offered (a
    /// browser fails the handshake if the server echoes a protocol it didn't offer, or none).
    public static func fromWebSocketProtocols(_ header: String?) -> (token: String, protocolToEcho: String)? {
        guard let header else { return nil }
        var token: String?
        var offersEarpiece = false
        for entry in header.split(separator: ",", omittingEmptySubsequences: true) {
            let value = entry.split(whereSeparator: isWhitespace)
            guard value.count == 1 else {
                if value.isEmpty { continue }
                return nil
            }
            let name = value[0]
            if name == webSocketProtocol {
                offersEarpiece = true
            } else if name.count > bearerProtocolPrefix.count,
                name.prefix(bearerProtocolPrefix.count).lowercased() == bearerProtocolPrefix
            {
                guard token == nil else { return nil }
                token = String(name.dropFirst(bearerProtocolPrefix.count))
            }
        }
        guard let token, offersEarpiece else { return nil }
        return (token, webSocketProtocol)
    }

    private static func isWhitespace(_ character: Character) -> Bool {
        character == " " || character == "\t"
    }
}
