import Foundation
import GRDB

/// The job queue over SQLite (`docs/jobs.md`). Every change to a leased job is one conditional `UPDATE` that
/// names the lease's token and requires its deadline to be still ahead, so a lost lease changes nothing.
extension SQLiteMetadataStore {
    public func lease(kind: JobKind, leaseDuration: TimeInterval, now: Date) async throws -> JobLease? {
        guard leaseDuration > 0 else { throw StoreError.invalidValue("a job lease must last longer than 0 s") }
        let token = Self.leaseToken()
        let expiresAt = now.addingTimeInterval(leaseDuration)
        return try await write { db in
            // Writers are serialised, so nothing can lease this job between the SELECT and the UPDATE.
            guard
                var job = try JobRecord.filter(Column("state") == JobState.queued.rawValue)
                    .filter(Column("kind") == kind.rawValue).filter(Column("run_after") <= now)
                    .order(Column("run_after"), Column("created_at"), Column("id")).fetchOne(db)
            else { return nil }
            job.state = .leased
            job.attempts += 1
            job.leaseToken = token
            job.leaseExpiresAt = expiresAt
            job.updatedAt = now
            try job.update(db)
            return JobLease(
                scope: try Self.scope(job.org, job.env), jobID: job.id, callID: job.callID, kind: job.kind,
                token: token, expiresAt: expiresAt, attempt: job.attempts)
        }
    }

    public func heartbeat(_ lease: JobLease, extendBy: TimeInterval, now: Date) async throws -> JobLease {
        guard extendBy > 0 else { throw StoreError.invalidValue("a heartbeat must extend a lease by more than 0 s") }
        let expiresAt = now.addingTimeInterval(extendBy)
        try await write { db in
            try Self.updateHeld(
                db, lease, now: now, set: "lease_expires_at = ?, updated_at = ?", arguments: [expiresAt, now])
        }
        return JobLease(
            scope: lease.scope, jobID: lease.jobID, callID: lease.callID, kind: lease.kind, token: lease.token,
            expiresAt: expiresAt, attempt: lease.attempt)
    }

    public func complete(_ lease: JobLease, now: Date) async throws {
        try await write { db in
            try Self.updateHeld(
                db, lease, now: now,
                set: "state = ?, lease_token = NULL, lease_expires_at = NULL, updated_at = ?, finished_at = ?",
                arguments: [JobState.done.rawValue, now, now])
        }
    }

    @discardableResult
    public func fail(_ lease: JobLease, _ failure: JobFailure, now: Date, policy: JobRetryPolicy) async throws
        -> JobRecord
    {
        guard JobFailure.isValidCode(failure.code) else {
            throw StoreError.invalidValue("a job error code is 1 to 64 characters of a-z, 0-9 and _")
        }
        // The lease fixes the attempt count: only a new lease changes it, and that needs this one gone.
        let dies = !failure.isRetryable || !policy.allowsAnotherAttempt(after: lease.attempt)
        let runAfter = now.addingTimeInterval(dies ? 0 : policy.delay(afterAttempt: lease.attempt))
        return try await write { db in
            if dies {
                try Self.updateHeld(
                    db, lease, now: now,
                    set: """
                        state = ?, lease_token = NULL, lease_expires_at = NULL, last_error = ?, updated_at = ?,
                        finished_at = ?
                        """,
                    arguments: [JobState.dead.rawValue, failure.code, now, now])
            } else {
                try Self.updateHeld(
                    db, lease, now: now,
                    set: """
                        state = ?, run_after = ?, lease_token = NULL, lease_expires_at = NULL, last_error = ?,
                        updated_at = ?
                        """,
                    arguments: [JobState.queued.rawValue, runAfter, failure.code, now])
            }
            guard let job = try Self.job(db, lease.scope, lease.jobID) else {
                throw StoreError.jobNotFound(lease.jobID)
            }
            return job
        }
    }

    public func rescueExpiredLeases(now: Date, policy: JobRetryPolicy) async throws -> Int {
        try await write { db in
            let expired = try JobRecord.filter(Column("state") == JobState.leased.rawValue)
                .filter(Column("lease_expires_at") <= now).fetchAll(db)
            for var job in expired {
                // The attempt was counted when the job was leased; a worker that died on it does not get it back
                // at once, in case the job is what killed it.
                if policy.allowsAnotherAttempt(after: job.attempts) {
                    job.state = .queued
                    job.runAfter = now.addingTimeInterval(policy.delay(afterAttempt: job.attempts))
                } else {
                    job.state = .dead
                    job.finishedAt = now
                }
                job.leaseToken = nil
                job.leaseExpiresAt = nil
                job.lastError = Self.leaseExpiredCode
                job.updatedAt = now
                try job.update(db)
            }
            return expired.count
        }
    }

    public func jobs(_ scope: TenantScope, state: JobState?, limit: Int) async throws -> [JobRecord] {
        try await read { db in
            var request = JobRecord.filter(Self.tenant(scope))
            if let state { request = request.filter(Column("state") == state.rawValue) }
            return try request.order(Column("created_at").desc, Column("id").desc).limit(limit).fetchAll(db)
        }
    }

    public func job(_ scope: TenantScope, id: String) async throws -> JobRecord? {
        try await read { db in try Self.job(db, scope, id) }
    }

    public func jobForCall(_ scope: TenantScope, callID: String, kind: JobKind) async throws -> JobRecord? {
        try await read { db in
            try JobRecord.filter(Self.tenant(scope)).filter(Column("call_id") == callID)
                .filter(Column("kind") == kind.rawValue).fetchOne(db)
        }
    }

    @discardableResult
    public func retry(_ scope: TenantScope, id: String, now: Date) async throws -> JobRecord {
        try await write { db in
            guard var job = try Self.job(db, scope, id) else { throw StoreError.jobNotFound(id) }
            guard job.state == .dead else { throw StoreError.jobNotDead(id) }
            job.state = .queued
            job.attempts = 0
            job.runAfter = now
            job.leaseToken = nil
            job.leaseExpiresAt = nil
            job.finishedAt = nil
            job.updatedAt = now
            try job.update(db)
            return job
        }
    }

    // MARK: Helpers

    /// What the rescuer records as the failure of an attempt whose worker never reported back.
    static let leaseExpiredCode = "lease_expired"

    private static func job(_ db: Database, _ scope: TenantScope, _ id: String) throws -> JobRecord? {
        try JobRecord.filter(tenant(scope)).filter(Column("id") == id).fetchOne(db)
    }

    /// Applies `set` to the lease's job if, and only if, the lease holds at `now`; else throws `leaseLost`.
    private static func updateHeld(
        _ db: Database, _ lease: JobLease, now: Date, set assignments: String, arguments: StatementArguments
    ) throws {
        try db.execute(
            sql: """
                UPDATE jobs SET \(assignments)
                WHERE id = ? AND org = ? AND env = ? AND state = ? AND lease_token = ? AND lease_expires_at > ?
                """,
            arguments: arguments
                + [lease.jobID, lease.scope.org, lease.scope.env.rawValue, JobState.leased.rawValue, lease.token, now])
        guard db.changesCount == 1 else { throw StoreError.leaseLost(lease.jobID) }
    }

    /// 128 random bits in hex: enough that no two leases ever share a token.
    private static func leaseToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in
            let word = generator.next() as UInt64
            let hex = String(word, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }
}
