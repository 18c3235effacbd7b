import Foundation

/// A text message from the client, checked: anything that is not one of these is a `ClientMessage.Problem`.
public enum ClientMessage: Sendable, Equatable {
    case keepalive
    case finalize
    case close
    case hintFeedback(hintID: String, action: HintAction)
    /// A well-formed message of a type this server does not know; answered with a warning.
    case unknown(type: String)
    /// A known type with fields that don't fit; answered with a warning saying which.
    case invalid(reason: String)

    public enum HintAction: String, Sendable, Equatable {
        case used, dismissed
    }

    /// Why a text message was refused.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    private struct Wire: Decodable {
        var type: String
        var hint_id: String?
        var action: String?
    }

    /// Parses one text message.
    public init(parsing text: String) throws(Problem) {
        let wire: Wire
        do {
            wire = try JSONDecoder().decode(Wire.self, from: Data(text.utf8))
        } catch {
            throw Problem(description: "text messages must be JSON objects with a string \"type\"")
        }
        switch wire.type {
        case "keepalive": self = .keepalive
        case "finalize": self = .finalize
        case "close": self = .close
        case "hint_feedback":
            guard let id = wire.hint_id, (1...64).contains(id.utf8.count) else {
                self = .invalid(reason: "hint_feedback needs a hint_id of 1 to 64 characters")
                return
            }
            guard let raw = wire.action, let action = HintAction(rawValue: raw) else {
                self = .invalid(reason: "hint_feedback action must be \"used\" or \"dismissed\"")
                return
            }
            self = .hintFeedback(hintID: id, action: action)
        default:
            self = .unknown(type: String(wire.type.prefix(64)))
        }
    }
}
