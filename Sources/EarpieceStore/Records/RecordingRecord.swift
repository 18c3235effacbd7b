import Foundation
import GRDB

/// One part file of a call's recording: where it is, the wrapped data key that opens it, and its retention clock.
///
/// A call has one part per connection: a client that resumes after a blip continues in a new part, so that no
/// sealed file is ever appended to.
public struct RecordingRecord: Sendable, Equatable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "recordings"

    /// Where a part file is in its life.
    public enum Status: String, Sendable, Codable {
        /// Being written by a live stream (or left so by a crash, until recovery).
        case open
        /// Finished by its stream: the last segment is written.
        case complete
        /// Finished by crash recovery from the authentic prefix of an interrupted file.
        case recovered
        /// Deleted: its data key is gone and its file unlinked.
        case shredded
    }

    /// The recording id, also the sealed blob's object id; unique across tenants.
    public let id: String
    public let org: String
    public let env: String
    public let callID: String
    /// 0 for the first connection, +1 per resume.
    public let part: Int
    /// The sealed file, relative to the blob directory.
    public var path: String
    /// The data key wrapped by the tenant's KEK; `nil` once shredded.
    public var wrappedKey: Data?
    /// The KEK version that wraps `wrappedKey`.
    public var kekVersion: Int
    public var status: Status
    /// Bytes of sealed file known to be durable.
    public var bytes: Int
    /// Opus packets known to be durable.
    public var packets: Int
    /// Audio known to be durable, in milliseconds.
    public var durationMs: Int
    /// The highest client sequence number known to be durable (what was last acked), if any.
    public var ackedSeq: Int64?
    public let createdAt: Date
    public var endedAt: Date?
    /// When the sweeper deletes it; set when the call ends.
    public var deleteAfter: Date?

    enum CodingKeys: String, CodingKey {
        case id, org, env, part, path, status, bytes, packets
        case callID = "call_id"
        case wrappedKey = "wrapped_key"
        case kekVersion = "kek_version"
        case durationMs = "duration_ms"
        case ackedSeq = "acked_seq"
        case createdAt = "created_at"
        case endedAt = "ended_at"
        case deleteAfter = "delete_after"
    }

    public init(
        id: String, scope: TenantScope, callID: String, part: Int, path: String, wrappedKey: Data,
        kekVersion: Int, createdAt: Date
    ) {
        self.id = id
        self.org = scope.org
        self.env = scope.env.rawValue
        self.callID = callID
        self.part = part
        self.path = path
        self.wrappedKey = wrappedKey
        self.kekVersion = kekVersion
        self.status = .open
        self.bytes = 0
        self.packets = 0
        self.durationMs = 0
        self.ackedSeq = nil
        self.createdAt = createdAt
        self.endedAt = nil
        self.deleteAfter = nil
    }
}
