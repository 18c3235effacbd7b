import EarpieceCalls
import Hummingbird

/// The query of `GET /v1/stream`, checked (see `docs/protocol.md`, "Opening").
struct StreamRequest: Sendable, Equatable {
    var channels: Int
    var container: AudioContainerChoice
    var callID: String?
    /// With `call_id`: resume that call after a dropped connection.
    var resumeToken: String?

    init(query: Parameters) throws(RequestRefusal) {
        switch query.get("channels") {
        case nil, "2": channels = 2
        case "1": channels = 1
        case let other?: throw .badRequest("channels must be 1 or 2, not \"\(other.prefix(16))\"")
        }
        if let raw = query.get("container") {
            guard let choice = AudioContainerChoice(rawValue: raw) else {
                throw .badRequest("container must be one of auto, raw, ogg, webm")
            }
            container = choice
        } else {
            container = .auto
        }
        if let id = query.get("call_id") {
            guard Self.isValidID(id) else {
                throw .badRequest("call_id must be 1 to 64 characters of A-Z, a-z, 0-9, _ and -")
            }
            callID = id
        }
        if let token = query.get("resume_token") {
            guard callID != nil else { throw .badRequest("resume_token needs the call_id it was issued for") }
            guard Self.isValidID(token) else { throw .badRequest("resume_token is malformed") }
            resumeToken = token
        }
    }

    static func isValidID(_ id: String) -> Bool {
        (1...64).contains(id.utf8.count) && id.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x5F || byte == 0x2D
        }
    }
}
