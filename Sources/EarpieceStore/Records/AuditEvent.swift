import Foundation
import GRDB

/// One line of a tenant's audit log: who did what, to which route, with what outcome. Never a name, an IP
/// address, a transcript or audio: ids, templates and numbers only.
public struct AuditEvent: Sendable, Equatable, Codable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "audit_events"

    /// Assigned by the database; ascending in insertion order, which pages use as a cursor.
    public var id: Int64?
    public let org: String
    public let env: String
    /// The token's `sub`, or `system` for the server's own jobs.
    public let userID: String
    /// The HTTP method, `STREAM` for a WebSocket call, or the job's verb (`SWEEP`, `REWRAP`, `RECOVER`).
    public let method: String
    /// The route template (`/v1/calls/{id}/recording`), never the raw path with its ids.
    public let route: String
    /// The HTTP status, or the WebSocket close code for a stream.
    public let status: Int
    public let occurredAt: Date
    public let durationMs: Int
    /// The id acted on (a call id), when there is one.
    public let target: String?
    /// For admin changes: the value before, as JSON.
    public let before: String?
    /// For admin changes: the value after, as JSON.
    public let after: String?

    /// The user id the server's own jobs write under.
    public static let systemUser = "system"

    enum CodingKeys: String, CodingKey {
        case id, org, env, method, route, status, target, before, after
        case userID = "user_id"
        case occurredAt = "occurred_at"
        case durationMs = "duration_ms"
    }

    public init(
        scope: TenantScope, userID: String, method: String, route: String, status: Int, occurredAt: Date,
        durationMs: Int, target: String? = nil, before: String? = nil, after: String? = nil
    ) {
        self.id = nil
        self.org = scope.org
        self.env = scope.env.rawValue
        self.userID = userID
        self.method = method
        self.route = route
        self.status = status
        self.occurredAt = occurredAt
        self.durationMs = durationMs
        self.target = target
        self.before = before
        self.after = after
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
