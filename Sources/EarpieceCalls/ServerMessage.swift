import EarpieceGuidance
import Foundation

/// A text message from the server to the client; `docs/protocol.md` ("Messages") specifies each one.
public enum ServerMessage: Sendable, Equatable {
    case ready(Ready)
    case hint(Hint)
    case dynamics(DynamicsSnapshot)
    /// Sent only to tokens with the scope `transcript:read`.
    case transcript(TranscriptLine)
    case warning(Warning)
    case error(ErrorReport)
    case finalized(audioTimeMs: Int)
    case closed(Closed)
    /// Every packet up to `sequence` is durable in the recording.
    case ack(sequence: UInt64)

    public struct Ready: Sendable, Equatable, Encodable {
        public struct Limits: Sendable, Equatable, Encodable {
            public var maxMessageBytes: Int
            public var maxPacketBytes: Int
            public var idleTimeoutMs: Int
        }
        public var callId: String
        public var sessionId: String
        public var channels: Int
        public var container: String
        public var tier: String
        public var limits: Limits
        /// Whether the call's audio is being recorded.
        public var recording: Bool
        /// Pass with `call_id` to resume this call after a dropped connection.
        public var resumeToken: String?
        /// On a resumed call: the last sequence number already stored; send what follows it.
        public var resumedAfter: UInt64?
    }

    public struct Warning: Sendable, Equatable, Encodable {
        public var code: String
        public var message: String
        public var skippedMs: Int?
        /// With `tier_changed`: the tier the call continues in.
        public var tier: String?

        public init(code: String, message: String, skippedMs: Int? = nil, tier: String? = nil) {
            self.code = code
            self.message = message
            self.skippedMs = skippedMs
            self.tier = tier
        }
    }

    public struct ErrorReport: Sendable, Equatable, Encodable {
        public var code: String
        public var message: String
        public var retryAfterMs: Int?

        public init(code: String, message: String, retryAfterMs: Int? = nil) {
            self.code = code
            self.message = message
            self.retryAfterMs = retryAfterMs
        }
    }

    public struct Closed: Sendable, Equatable, Encodable {
        public var callId: String
        public var audioTimeMs: Int
        public var packets: UInt64
        public var lostPackets: UInt64
        /// The summary job the call's end queued (`GET /v1/calls/{id}/summary` follows it); absent when the
        /// stream ended without ending the call, or without a recording.
        public var summaryJobId: String?

        public init(callId: String, audioTimeMs: Int, packets: UInt64, lostPackets: UInt64, summaryJobId: String? = nil) {
            self.callId = callId
            self.audioTimeMs = audioTimeMs
            self.packets = packets
            self.lostPackets = lostPackets
            self.summaryJobId = summaryJobId
        }
    }

    /// The `type` field.
    public var type: String {
        switch self {
        case .ready: "ready"
        case .hint: "hint"
        case .dynamics: "dynamics"
        case .transcript: "transcript"
        case .warning: "warning"
        case .error: "error"
        case .finalized: "finalized"
        case .closed: "closed"
        case .ack: "ack"
        }
    }

    /// The message as one line of JSON, keys sorted so that equal messages print equally.
    public func json() -> String {
        // Acks go out twice a second on every call: written directly, as the encoder would write them.
        if case .ack(let sequence) = self { return #"{"seq":\#(sequence),"type":"ack"}"# }
        guard let data = try? Self.encoder.encode(Envelope(message: self)) else {
            // Every payload is plain strings and numbers; encoding cannot fail, but never crash over it.
            return #"{"type":"error","code":"internal_error","message":"message encoding failed"}"#
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// One encoder for every message: making one per message cost more than the encoding.
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }()

    private struct Envelope: Encodable {
        var message: ServerMessage
        enum Keys: String, CodingKey { case type, audioTimeMs, seq }

        func encode(to encoder: any Encoder) throws {
            switch message {
            case .ready(let value): try value.encode(to: encoder)
            case .hint(let value): try value.encode(to: encoder)
            case .dynamics(let value): try value.encode(to: encoder)
            case .transcript(let value): try value.encode(to: encoder)
            case .warning(let value): try value.encode(to: encoder)
            case .error(let value): try value.encode(to: encoder)
            case .closed(let value): try value.encode(to: encoder)
            case .finalized(let audioTimeMs):
                var container = encoder.container(keyedBy: Keys.self)
                try container.encode(audioTimeMs, forKey: .audioTimeMs)
            case .ack(let sequence):
                var container = encoder.container(keyedBy: Keys.self)
                try container.encode(sequence, forKey: .seq)
            }
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(message.type, forKey: .type)
        }
    }
}
