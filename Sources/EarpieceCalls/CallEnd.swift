/// How a call's stream ended: the WebSocket close code and the reason given to the client.
public struct CallEnd: Sendable, Equatable, Error {
    public var code: CloseCode
    public var reason: String
    /// Whether the call itself is over (the client sent `close`); any other end leaves it open for a resume.
    public var endsCall: Bool

    public init(_ code: CloseCode, _ reason: String, endsCall: Bool = false) {
        self.code = code
        self.reason = reason
        self.endsCall = endsCall
    }
}

/// The close codes of `docs/protocol.md` ("Closing").
public enum CloseCode: UInt16, Sendable, Equatable {
    case normal = 1000
    case goingAway = 1001
    case tooLarge = 1009
    case internalError = 1011
    case overCapacity = 1013
    case badAudio = 4400
    case unauthorized = 4401
    case badMessage = 4402
    case idle = 4408

    /// The `code` of the `error` message sent before closing with this code.
    public var errorCode: String {
        switch self {
        case .normal: "normal"
        case .goingAway: "going_away"
        case .tooLarge: "too_large"
        case .internalError: "internal_error"
        case .overCapacity: "over_capacity"
        case .badAudio: "bad_audio"
        case .unauthorized: "unauthorized"
        case .badMessage: "bad_message"
        case .idle: "idle"
        }
    }
}
