import EarpieceAuth
import EarpieceCalls
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging

/// `GET /v1/stream`: checks the request before the upgrade, then runs a `CallSession` over the socket.
struct StreamRoute: Sendable {
    let admission: StreamAdmission
    let sessionConfiguration: CallSessionConfiguration
    let metrics: CallMetrics
    let logger: Logger

    func register(on group: RouterGroup<EarpieceRequestContext>) {
        group.get("stream") { request, context in
            try accept(request, context)
        }
    }

    /// Everything that can be refused with an HTTP status is refused here, before the upgrade; a 200 tells
    /// `UpgradingHTTPChannel` to upgrade and run the call on the socket.
    private func accept(_ request: Request, _ context: EarpieceRequestContext) throws -> Response {
        guard request.headers[.upgrade]?.lowercased() == "websocket" else {
            throw RequestRefusal(status: .upgradeRequired, error: "upgrade_required", reason: "/v1/stream is a WebSocket: send Upgrade: websocket")
        }
        guard let principal = context.principal else {
            throw RequestRefusal.unauthorized("a bearer token is required")
        }
        guard principal.has(.rep) else {
            throw RequestRefusal.forbidden("streaming needs the rep role")
        }
        let parameters = try StreamRequest(query: request.uri.queryParameters)
        context.upgrade.accept { inbound, outbound in
            await stream(inbound: inbound, outbound: outbound, principal: principal, parameters: parameters)
        }
        var headers = HTTPFields()
        if let echoed = context.webSocketProtocol { headers[.secWebSocketProtocol] = echoed }
        return Response(status: .ok, headers: headers)
    }

    private func stream(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, principal: Principal, parameters: StreamRequest) async {
        let ticket: StreamAdmission.Ticket
        switch admission.admit(org: principal.org) {
        case .success(let admitted):
            ticket = admitted
        case .failure(let refusal):
            let error = ServerMessage.error(.init(code: CloseCode.overCapacity.errorCode, message: refusal.reason, retryAfterMs: 5_000))
            try? await outbound.write(.text(error.json()))
            try? await outbound.close(.init(codeNumber: Int(CloseCode.overCapacity.rawValue)), reason: "over capacity")
            return
        }
        var sessionLogger = logger
        sessionLogger[metadataKey: "org"] = .string(principal.org)
        sessionLogger[metadataKey: "user_id"] = .string(principal.userID)
        let session = CallSession(
            callID: parameters.callID ?? Self.newID(prefix: "call"), sessionID: Self.newID(prefix: "sess"),
            channels: parameters.channels, container: parameters.container,
            configuration: sessionConfiguration, metrics: metrics, logger: sessionLogger)
        admission.register(session)
        defer { admission.release(ticket, session: session) }
        // A token that expires mid-call ends the stream; the client reconnects with a fresh one and the call_id.
        let expiry = Task {
            let remaining = principal.expiresAt.timeIntervalSinceNow
            if remaining > 0 { try await Task.sleep(for: .milliseconds(Int64(remaining * 1000))) }
            session.stop(CallEnd(.unauthorized, "token expired; reconnect with a fresh token and the call_id"))
        }
        defer { expiry.cancel() }
        let input = WebSocketCallInput(inbound: inbound, maxMessageBytes: sessionConfiguration.maxMessageBytes)
        let end = await session.run(input: input) { message in
            try? await outbound.write(.text(message.json()))
        }
        try? await outbound.close(.init(codeNumber: Int(end.code.rawValue)), reason: Self.closeReason(end.reason))
    }

    /// A close frame's reason must fit in 123 bytes of UTF-8.
    static func closeReason(_ reason: String) -> String {
        var out = ""
        for character in reason {
            guard out.utf8.count + character.utf8.count <= 123 else { break }
            out.append(character)
        }
        return out
    }

    /// A random identifier: a prefix and 128 bits in hex, safe in URLs and logs.
    static func newID(prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64, low = generator.next() as UInt64
        return prefix + "_" + String(high, radix: 16).leftPadded(to: 16) + String(low, radix: 16).leftPadded(to: 16)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
