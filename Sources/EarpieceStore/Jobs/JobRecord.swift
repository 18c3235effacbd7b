import Foundation
import GRDB

/// One background job about one call: its kind, its state, and its lease while a worker holds it.
///
/// Only ids are stored (tenant, call, kind): a worker reads what it needs when it runs (`docs/jobs.md`).
public struct JobRecord: Sendable, Equatable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "jobs"

    public let id: String
    public let org: String
    public let env: String
    public let callID: String
    public let kind: JobKind
    public var state: JobState
    /// Leases taken so far; an admin retry resets it.
    public var attempts: Int
    /// Not leased before this.
    public var runAfter: Date
    /// The current lease's token; `nil` unless leased.
    public var leaseToken: String?
    /// The current lease's deadline; `nil` unless leased.
    public var leaseExpiresAt: Date?
    /// The machine code of the most recent failure (`JobFailure.code`), never free text.
    public var lastError: String?
    public let createdAt: Date
    public var updatedAt: Date
    /// When it became done or dead.
    public var finishedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, org, env, kind, state, attempts
        case callID = "call_id"
        case runAfter = "run_after"
        case leaseToken = "lease_token"
        case leaseExpiresAt = "lease_expires_at"
        case lastError = "last_error"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case finishedAt = "finished_at"
    }

    /// A new job, queued and due at `now`.
    public init(id: String, scope: TenantScope, callID: String, kind: JobKind, now: Date) {
        self.id = id
        self.org = scope.org
        self.env = scope.env.rawValue
        self.callID = callID
        self.kind = kind
        self.state = .queued
        self.attempts = 0
        self.runAfter = now
        self.leaseToken = nil
        self.leaseExpiresAt = nil
        self.lastError = nil
        self.createdAt = now
        self.updatedAt = now
        self.finishedAt = nil
    }

    /// Queues the job of `kind` for the call unless it has one already; returns the call's job id either way.
    /// Runs inside the caller's transaction, so that the job and what caused it commit or roll back together.
    static func enqueue(_ db: Database, _ scope: TenantScope, callID: String, kind: JobKind, now: Date) throws
        -> String
    {
        // Only the one-job-per-call-and-kind key may conflict quietly; any other refusal is an error.
        try db.execute(
            sql: """
                INSERT INTO jobs (id, org, env, call_id, kind, state, attempts, run_after, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?)
                ON CONFLICT (org, env, call_id, kind) DO NOTHING
                """,
            arguments: [
                UUID().uuidString.lowercased(), scope.org, scope.env.rawValue, callID, kind.rawValue,
                JobState.queued.rawValue, now, now, now,
            ])
        guard
            let id = try String.fetchOne(
                db, sql: "SELECT id FROM jobs WHERE org = ? AND env = ? AND call_id = ? AND kind = ?",
                arguments: [scope.org, scope.env.rawValue, callID, kind.rawValue])
        else { throw StoreError.database("the \(kind.rawValue) job of call \(callID) was not stored") }
        return id
    }
}
