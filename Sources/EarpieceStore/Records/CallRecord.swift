import Foundation
import GRDB

/// One call: who streamed it, whether it is still open, and whether a legal hold keeps its data.
public struct CallRecord: Sendable, Equatable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "calls"

    /// Where a call is in its life.
    public enum Status: String, Sendable, Codable {
        /// Streaming, or interrupted and waiting for its client to resume.
        case open
        /// Closed by its client, or given up on after its resume window.
        case ended
    }

    public let org: String
    public let env: String
    /// The call id, unique within the tenant.
    public let id: String
    /// The `sub` of the rep who streamed it.
    public let repUserID: String
    public var status: Status
    public let startedAt: Date
    public var endedAt: Date?
    /// SHA-256 of the resume token handed to the client in `ready`; the token itself is never stored.
    public var resumeTokenHash: Data
    /// While set, nothing of the call is deleted, whatever the retention clock says.
    public var legalHold: Bool
    /// When derived data (transcripts, summaries) becomes due; set when the call ends.
    public var derivedDeleteAfter: Date?

    enum CodingKeys: String, CodingKey {
        case org, env, id, status
        case repUserID = "rep_user_id"
        case startedAt = "started_at"
        case endedAt = "ended_at"
        case resumeTokenHash = "resume_token_hash"
        case legalHold = "legal_hold"
        case derivedDeleteAfter = "derived_delete_after"
    }

    public init(
        scope: TenantScope, id: String, repUserID: String, startedAt: Date, resumeTokenHash: Data
    ) {
        self.org = scope.org
        self.env = scope.env.rawValue
        self.id = id
        self.repUserID = repUserID
        self.status = .open
        self.startedAt = startedAt
        self.endedAt = nil
        self.resumeTokenHash = resumeTokenHash
        self.legalHold = false
        self.derivedDeleteAfter = nil
    }
}
