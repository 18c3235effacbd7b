import Foundation
import GRDB
import Testing

@testable import EarpieceStore

@Suite("The job queue")
struct JobQueueTests {
    /// The backoff with its jitter pinned to the middle: exactly `min(attempt⁴, 3600)` seconds.
    private let noJitter = JobRetryPolicy(unitRandom: { 0.5 })

    /// The delays after failed attempts 1 to 7, in seconds: attempt⁴.
    private let schedule: [TimeInterval] = [1, 16, 81, 256, 625, 1_296, 2_401]

    /// Opens call `id` and ends it at `endedAt`; returns the summary job that ending it queued.
    private func endedCallJob(
        _ store: SQLiteMetadataStore, _ scope: TenantScope = Tenant.orgAProd, id: String, endedAt: Date = startOfYear
    ) async throws -> JobRecord {
        try await store.openCall(scope, id: id, startedAt: endedAt.adding(minutes: -5))
        try await store.endCall(scope, callID: id, now: endedAt)
        return try #require(try await store.jobForCall(scope, callID: id, kind: .summary))
    }

    private func leaseSummary(_ store: SQLiteMetadataStore, at now: Date, for duration: TimeInterval = 60)
        async throws -> JobLease
    {
        try #require(try await store.lease(kind: .summary, leaseDuration: duration, now: now))
    }

    // MARK: Enqueueing

    @Test func endingACallQueuesItsSummaryExactlyOnce() async throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        let job = try await endedCallJob(store, id: "call-1")
        try await store.endCall(Tenant.orgAProd, callID: "call-1", now: startOfYear.adding(minutes: 5))

        #expect(try await store.jobs(Tenant.orgAProd, state: nil, limit: 10) == [job])
        #expect(job.callID == "call-1")
        #expect(job.kind == .summary)
        #expect(job.state == .queued)
        #expect(job.attempts == 0)
        #expect(job.runAfter == startOfYear)
        #expect(job.leaseToken == nil)
        #expect(job.lastError == nil)
    }

    @Test func finishingTheLastPartQueuesTheSummaryWithTheCallsEnd() async throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        try await store.openCall(Tenant.orgAProd, id: "call-1")
        let part = try await store.openPart(Tenant.orgAProd, callID: "call-1")
        try await store.finishPart(Tenant.orgAProd, part.id, endingCall: false, now: startOfYear.adding(minutes: 1))
        #expect(try await store.jobForCall(Tenant.orgAProd, callID: "call-1", kind: .summary) == nil)

        let resumed = try await store.openPart(Tenant.orgAProd, callID: "call-1", part: 1)
        try await store.finishPart(Tenant.orgAProd, resumed.id, endingCall: true, now: startOfYear.adding(minutes: 9))
        let job = try #require(try await store.jobForCall(Tenant.orgAProd, callID: "call-1", kind: .summary))
        #expect(job.state == .queued)
        #expect(job.runAfter == startOfYear.adding(minutes: 9))
        #expect(try await store.jobs(Tenant.orgAProd, state: nil, limit: 10).count == 1)
    }

    @Test func aCallEndThatRollsBackLeavesNoJobAndNoEndedCall() async throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        try await store.openCall(Tenant.orgAProd, id: "call-1")
        let part = try await store.openPart(Tenant.orgAProd, callID: "call-1")
        try await store.finishPart(Tenant.orgAProd, part.id, endingCall: false, now: startOfYear.adding(minutes: 1))

        // The job row goes in, then the database refuses the statement: everything the transaction did before it
        // (the call's status, the parts' clocks, the job itself) must be undone.
        let plain = try DatabaseQueue(path: temporary.path)
        try await plain.write { db in
            try db.execute(
                sql: """
                    CREATE TRIGGER refuse_after_job_insert AFTER INSERT ON jobs
                    BEGIN SELECT RAISE(ABORT, 'refused after the job insert'); END
                    """)
        }
        await #expect(throws: StoreError.self) {
            try await store.endCall(Tenant.orgAProd, callID: "call-1", now: startOfYear.adding(minutes: 30))
        }
        let second = try await store.openPart(Tenant.orgAProd, callID: "call-1", part: 1)
        await #expect(throws: StoreError.self) {
            try await store.finishPart(
                Tenant.orgAProd, second.id, endingCall: true, now: startOfYear.adding(minutes: 40))
        }

        #expect(try await store.call(Tenant.orgAProd, id: "call-1")?.status == .open)
        #expect(try await store.recordings(Tenant.orgAProd, callID: "call-1").map(\.deleteAfter) == [nil, nil])
        #expect(try await store.recordings(Tenant.orgAProd, callID: "call-1").map(\.status) == [.complete, .open])
        #expect(try await store.jobForCall(Tenant.orgAProd, callID: "call-1", kind: .summary) == nil)
        let rows = try await plain.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM jobs") }
        #expect(rows == 0)

        // Once the database accepts it again, the same end commits with its job.
        try await plain.write { try $0.execute(sql: "DROP TRIGGER refuse_after_job_insert") }
        try await store.finishPart(Tenant.orgAProd, second.id, endingCall: true, now: startOfYear.adding(minutes: 50))
        #expect(try await store.call(Tenant.orgAProd, id: "call-1")?.status == .ended)
        #expect(try await store.jobForCall(Tenant.orgAProd, callID: "call-1", kind: .summary)?.state == .queued)
    }

    // MARK: Leasing

    @Test func aLeaseTakesOnlyADueJobAndTheOldestFirst() async throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        let first = try await endedCallJob(store, id: "call-1", endedAt: startOfYear)
        let second = try await endedCallJob(store, Tenant.orgBProd, id: "call-2", endedAt: startOfYear.adding(minutes: 1))

        #expect(try await store.lease(kind: .summary, leaseDuration: 60, now: startOfYear.addingTimeInterval(-1)) == nil)
        let lease = try await leaseSummary(store, at: startOfYear.addingTimeInterval(30))
        #expect(lease.jobID == first.id)
        #expect(lease.scope == Tenant.orgAProd)
        #expect(lease.callID == "call-1")
        #expect(lease.attempt == 1)
        #expect(lease.expiresAt == startOfYear.addingTimeInterval(90))
        #expect(try await store.lease(kind: .summary, leaseDuration: 60, now: startOfYear.addingTimeInterval(30)) == nil)

        let next = try await leaseSummary(store, at: startOfYear.adding(minutes: 1))
        #expect(next.jobID == second.id)
        #expect(next.scope == Tenant.orgBProd)
        #expect(next.token != lease.token)

        let stored = try #require(try await store.job(Tenant.orgAProd, id: first.id))
        #expect(stored.state == .leased)
        #expect(stored.attempts == 1)
        #expect(stored.leaseToken == lease.token)
        #expect(stored.leaseExpiresAt == lease.expiresAt)
    }

    @Test func twoWorkersNeverLeaseTheSameJob() async throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        for index in 0..<10 { _ = try await endedCallJob(store, id: "call-\(index)") }

        let leases = try await withThrowingTaskGroup(of: JobLease?.self) { group in
            for _ in 0..<20 {
                group.addTask { try await store.lease(kind: .summary, leaseDuration: 60, now: startOfYear) }
            }
            return try await group.reduce(into: [JobLease]()) { if let lease = $1 { $0.append(lease) } }
        }
        #expect(leases.count == 10)
        #expect(Set(leases.map(\.jobID)).count == 10)
        #expect(Set(leases.map(\.token)).count == 10)
    }

    @Test func aHeartbeatKeepsTheLeaseBeyondItsFirstDeadline() async throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        let job = try await endedCallJob(store, id: "call-1")
        let lease = try await leaseSummary(store, at: startOfYear, for: 30)

        let extended = try await store.heartbeat(lease, extendBy: 30, now: startOfYear.addingTimeInterval(20))
        #expect(extended.expiresAt == startOfYear.addingTimeInterval(50))
        #expect(extended.token == lease.token)
        #expect(try await store.job(Tenant.orgAProd, id: job.id)?.leaseExpiresAt == extended.expiresAt)
        // Past the first deadline, nothing is rescued, and the worker can still finish.
        #expect(try await store.rescueExpiredLeases(now: startOfYear.addingTimeInterval(40), policy: noJitter) == 0)
        try await store.complete(extended, now: startOfYear.addingTimeInterval(45))

        let done = try #require(try await store.job(Tenant.orgAProd, id: job.id))
        #expect(done.state == .done)
        #expect(done.finishedAt == startOfYear.addingTimeInterval(45))
        #expect(done.leaseToken == nil)
        #expect(done.leaseExpiresAt == nil)
    }

    @Test func aWorkerWhoseLeaseExpiredCanNeitherCompleteNorFailNorExtendIt() async throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        let job = try await endedCallJob(store, id: "call-1")
        let lease = try await leaseSummary(store, at: startOfYear, for: 30)
        let deadline = lease.expiresAt

        await #expect(throws: StoreError.leaseLost(job.id)) { try await store.complete(lease, now: deadline) }
        await #expect(throws: StoreError.leaseLost(job.id)) {
            try await store.fail(lease, .retryable("model_unavailable"), now: deadline, policy: noJitter)
        }
        await #expect(throws: StoreError.leaseLost(job.id)) {
            try await store.heartbeat(lease, extendBy: 30, now: deadline.addingTimeInterval(1))
        }
        let untouched = try #require(try await store.job(Tenant.orgAProd, id: job.id))
        #expect(untouched.state == .leased)
        #expect(untouched.leaseToken == lease.token)
        #expect(untouched.lastError == nil)
    }

    @Test func aLeaseTakenOverByAnotherWorkerIsLostEvenBeforeItsOwnDeadline() async throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        let job = try await endedCallJob(store, id: "call-1")
        let stale = try await leaseSummary(store, at: startOfYear, for: 30)
        #expect(try await store.rescueExpiredLeases(now: stale.expiresAt, policy: noJitter) == 1)
        let current = try await leaseSummary(store, at: stale.expiresAt.addingTimeInterval(1), for: 600)
        #expect(current.jobID == job.id)
        #expect(current.attempt == 2)

        // A clock that runs behind cannot bring the first lease back either: the token decides.
        let early = startOfYear.addingTimeInterval(10)
        await #expect(throws: StoreError.leaseLost(job.id)) { try await store.complete(stale, now: early) }
        await #expect(throws: StoreError.leaseLost(job.id)) {
            try await store.heartbeat(stale, extendBy: 30, now: early)
        }
        try await store.complete(current, now: current.expiresAt.addingTimeInterval(-1))
        #expect(try await store.job(Tenant.orgAProd, id: job.id)?.state == .done)
    }

    // MARK: Failure and backoff

    @Test func theBackoffIsAttemptToTheFourthCappedAtAnHour() {
        let policy = JobRetryPolicy.standard
        #expect((1...7).map { policy.baseDelay(afterAttempt: $0) } == schedule)
        #expect(policy.baseDelay(afterAttempt: 8) == 3_600)
        #expect(policy.baseDelay(afterAttempt: 40) == 3_600)
        #expect((1...7).map { noJitter.delay(afterAttempt: $0) } == schedule)
        #expect(noJitter.delay(afterAttempt: 9) == 3_600)
    }

    @Test(arguments: [0.0, 0.25, 0.5, 0.75, 0.999_999])
    func theJitterStaysWithinTenPercent(unit: Double) {
        let policy = JobRetryPolicy(unitRandom: { unit })
        for attempt in 1...9 {
            let base = policy.baseDelay(afterAttempt: attempt)
            let delay = policy.delay(afterAttempt: attempt)
            #expect(delay >= base * 0.9)
            #expect(delay < base * 1.1)
            #expect(abs(delay - base * (0.9 + 0.2 * unit)) < 1e-9)
        }
    }

    @Test func theSystemRandomJitterStaysWithinTenPercent() {
        for _ in 0..<1_000 {
            let delay = JobRetryPolicy.standard.delay(afterAttempt: 3)
            #expect(delay >= 72.9 && delay <= 89.1)
        }
    }

    @Test func aFailingJobIsRetriedOnTheScheduleAndDiesAtItsEighthFailure() async throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        let job = try await endedCallJob(store, id: "call-1")
        var now = startOfYear
        for (index, delay) in schedule.enumerated() {
            let lease = try await leaseSummary(store, at: now)
            #expect(lease.attempt == index + 1)
            let failed = try await store.fail(lease, .retryable("model_unavailable"), now: now, policy: noJitter)
            #expect(failed.state == .queued)
            #expect(failed.attempts == index + 1)
            #expect(failed.runAfter == now.addingTimeInterval(delay))
            #expect(failed.lastError == "model_unavailable")
            #expect(failed.leaseToken == nil)
            // Not due a moment before its backoff ends; due when it does.
            let early = now.addingTimeInterval(delay - 0.5)
            #expect(try await store.lease(kind: .summary, leaseDuration: 60, now: early) == nil)
            now = failed.runAfter
        }

        let last = try await leaseSummary(store, at: now)
        #expect(last.attempt == 8)
        let dead = try await store.fail(last, .retryable("model_unavailable"), now: now, policy: noJitter)
        #expect(dead.state == .dead)
        #expect(dead.attempts == 8)
        #expect(dead.finishedAt == now)
        #expect(try await store.lease(kind: .summary, leaseDuration: 60, now: now.adding(days: 1)) == nil)
        #expect(try await store.jobs(Tenant.orgAProd, state: .dead, limit: 10).map(\.id) == [job.id])
    }

    @Test func aJitteredRetryIsDueWithinTheJittersBounds() async throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        _ = try await endedCallJob(store, id: "call-1")
        let lease = try await leaseSummary(store, at: startOfYear)
        _ = try await store.fail(lease, .retryable("disk_full"), now: startOfYear, policy: noJitter)
        let second = try await leaseSummary(store, at: startOfYear.addingTimeInterval(1))
        let late = JobRetryPolicy(unitRandom: { 0.75 })
        let failed = try await store.fail(second, .retryable("disk_full"), now: startOfYear, policy: late)
        // 16 s × 1.05, kept to the millisecond like every stored date.
        #expect(abs(failed.runAfter.timeIntervalSince(startOfYear) - 16.8) < 0.001)
    }

    @Test func aPoisonJobIsDeadAtOnceAndAnAdminRetryBringsItBack() async throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        let job = try await endedCallJob(store, id: "call-1")
        let lease = try await leaseSummary(store, at: startOfYear)
        let dead = try await store.fail(
            lease, .permanent("transcript_missing"), now: startOfYear.addingTimeInterval(5), policy: noJitter)
        #expect(dead.state == .dead)
        #expect(dead.attempts == 1)
        #expect(dead.lastError == "transcript_missing")
        #expect(dead.finishedAt == startOfYear.addingTimeInterval(5))
        #expect(try await store.lease(kind: .summary, leaseDuration: 60, now: startOfYear.adding(days: 30)) == nil)

        let later = startOfYear.adding(minutes: 60)
        let retried = try await store.retry(Tenant.orgAProd, id: job.id, now: later)
        #expect(retried.state == .queued)
        #expect(retried.attempts == 0)
        #expect(retried.runAfter == later)
        #expect(retried.finishedAt == nil)
        #expect(retried.lastError == "transcript_missing")
        #expect(try await store.job(Tenant.orgAProd, id: job.id) == retried)

        let again = try await leaseSummary(store, at: later)
        #expect(again.jobID == job.id)
        #expect(again.attempt == 1)
        try await store.complete(again, now: later.addingTimeInterval(10))
        #expect(try await store.job(Tenant.orgAProd, id: job.id)?.state == .done)
        await #expect(throws: StoreError.jobNotDead(job.id)) {
            try await store.retry(Tenant.orgAProd, id: job.id, now: later)
        }
    }

    @Test func aJobThatIsNotDeadCannotBeRetried() async throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        let job = try await endedCallJob(store, id: "call-1")
        await #expect(throws: StoreError.jobNotDead(job.id)) {
            try await store.retry(Tenant.orgAProd, id: job.id, now: startOfYear)
        }
        _ = try await leaseSummary(store, at: startOfYear)
        await #expect(throws: StoreError.jobNotDead(job.id)) {
            try await store.retry(Tenant.orgAProd, id: job.id, now: startOfYear)
        }
        await #expect(throws: StoreError.jobNotFound("no-such-job")) {
            try await store.retry(Tenant.orgAProd, id: "no-such-job", now: startOfYear)
        }
    }

    @Test(arguments: ["", "Caller said: call me back at home", "MODEL_DOWN", String(repeating: "x", count: 65)])
    func aFailureCodeThatIsNotAShortMachineCodeIsRefused(code: String) async throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        let job = try await endedCallJob(store, id: "call-1")
        let lease = try await leaseSummary(store, at: startOfYear)
        await #expect(throws: StoreError.self) {
            try await store.fail(lease, .retryable(code), now: startOfYear, policy: noJitter)
        }
        let stored = try #require(try await store.job(Tenant.orgAProd, id: job.id))
        #expect(stored.state == .leased)
        #expect(stored.lastError == nil)
    }

    // MARK: The rescuer

    @Test func theRescuerReturnsOnlyExpiredLeasesToTheQueue() async throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        _ = try await endedCallJob(store, id: "call-1")
        _ = try await endedCallJob(store, Tenant.orgBProd, id: "call-2")
        let short = try await leaseSummary(store, at: startOfYear, for: 30)
        let long = try await leaseSummary(store, at: startOfYear, for: 600)

        #expect(try await store.rescueExpiredLeases(now: startOfYear.addingTimeInterval(29), policy: noJitter) == 0)
        let now = startOfYear.addingTimeInterval(30)
        #expect(try await store.rescueExpiredLeases(now: now, policy: noJitter) == 1)

        let rescued = try #require(try await store.job(short.scope, id: short.jobID))
        #expect(rescued.state == .queued)
        #expect(rescued.attempts == 1)
        #expect(rescued.runAfter == now.addingTimeInterval(1))
        #expect(rescued.lastError == "lease_expired")
        #expect(rescued.leaseToken == nil)
        #expect(rescued.leaseExpiresAt == nil)
        #expect(try await store.job(long.scope, id: long.jobID)?.state == .leased)
        try await store.complete(long, now: now)

        let again = try await leaseSummary(store, at: now.addingTimeInterval(1))
        #expect(again.jobID == short.jobID)
        #expect(again.attempt == 2)
    }

    @Test func aLeaseThatExpiresOnTheEighthAttemptLeavesTheJobDead() async throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        let job = try await endedCallJob(store, id: "call-1")
        var now = startOfYear
        for attempt in 1...8 {
            let lease = try await leaseSummary(store, at: now, for: 30)
            #expect(lease.attempt == attempt)
            now = lease.expiresAt
            #expect(try await store.rescueExpiredLeases(now: now, policy: noJitter) == 1)
            now = try #require(try await store.job(Tenant.orgAProd, id: job.id)).runAfter
        }
        let dead = try #require(try await store.job(Tenant.orgAProd, id: job.id))
        #expect(dead.state == .dead)
        #expect(dead.attempts == 8)
        #expect(dead.lastError == "lease_expired")
        #expect(dead.finishedAt != nil)
    }

    // MARK: Tenants

    @Test(arguments: [Tenant.orgBProd, Tenant.orgADev])
    func anotherTenantCanNeitherSeeNorRetryTheJob(outsider: TenantScope) async throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        let job = try await endedCallJob(store, id: "call-1")
        let lease = try await leaseSummary(store, at: startOfYear)
        try await store.fail(lease, .permanent("transcript_missing"), now: startOfYear, policy: noJitter)

        #expect(try await store.job(Tenant.orgAProd, id: job.id)?.state == .dead)
        #expect(try await store.job(outsider, id: job.id) == nil)
        #expect(try await store.jobs(outsider, state: nil, limit: 10).isEmpty)
        #expect(try await store.jobForCall(outsider, callID: "call-1", kind: .summary) == nil)
        await #expect(throws: StoreError.jobNotFound(job.id)) {
            try await store.retry(outsider, id: job.id, now: startOfYear)
        }
        #expect(try await store.job(Tenant.orgAProd, id: job.id)?.state == .dead)
    }

    @Test func aLeaseCannotBeCompletedUnderAnotherTenantsScope() async throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        let job = try await endedCallJob(store, id: "call-1")
        let lease = try await leaseSummary(store, at: startOfYear)
        let forged = JobLease(
            scope: Tenant.orgBProd, jobID: lease.jobID, callID: lease.callID, kind: lease.kind, token: lease.token,
            expiresAt: lease.expiresAt, attempt: lease.attempt)
        await #expect(throws: StoreError.leaseLost(job.id)) { try await store.complete(forged, now: startOfYear) }
        #expect(try await store.job(Tenant.orgAProd, id: job.id)?.state == .leased)
    }
}
