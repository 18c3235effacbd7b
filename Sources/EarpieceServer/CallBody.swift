import EarpieceStore
import Foundation

/// A call as `GET /v1/calls` and `GET /v1/calls/{id}` show it.
struct CallBody: Encodable {
    /// The call's audio, summed over its parts.
    struct Recording: Encodable {
        var parts: Int
        var bytes: Int
        /// Opus packets stored: every packet the server has acked is among them.
        var packets: Int
        var durationMs: Int
        /// `recording` while a part is open, `deleted` once shredded, `recovered` if a crash cut a part short,
        /// otherwise `complete`.
        var status: String
    }

    var callID: String
    var status: String
    var startedAt: Date
    var endedAt: Date?
    var legalHold: Bool
    var recording: Recording?

    init(_ call: CallRecord, parts: [RecordingRecord]) {
        callID = call.id
        status = call.status.rawValue
        startedAt = call.startedAt
        endedAt = call.endedAt
        legalHold = call.legalHold
        recording = parts.isEmpty ? nil : Recording(
            parts: parts.count, bytes: parts.map(\.bytes).reduce(0, +), packets: parts.map(\.packets).reduce(0, +),
            durationMs: parts.map(\.durationMs).reduce(0, +), status: Self.status(of: parts))
    }

    private static func status(of parts: [RecordingRecord]) -> String {
        if parts.contains(where: { $0.status == .shredded }) { return "deleted" }
        if parts.contains(where: { $0.status == .open }) { return "recording" }
        if parts.contains(where: { $0.status == .recovered }) { return "recovered" }
        return "complete"
    }

    private enum CodingKeys: CodingKey {
        case callID, status, startedAt, endedAt, legalHold, recording
    }

    // Absent values are written as null, so every call has the same keys.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(callID, forKey: .callID)
        try container.encode(status, forKey: .status)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(endedAt, forKey: .endedAt)
        try container.encode(legalHold, forKey: .legalHold)
        try container.encode(recording, forKey: .recording)
    }
}

/// A page of `GET /v1/calls`.
struct CallListBody: Encodable {
    var calls: [CallBody]
    /// Pass as `before` for the next page; `nil` when there is none.
    var nextBefore: Date?

    private enum CodingKeys: CodingKey {
        case calls, nextBefore
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(calls, forKey: .calls)
        try container.encode(nextBefore, forKey: .nextBefore)
    }
}
