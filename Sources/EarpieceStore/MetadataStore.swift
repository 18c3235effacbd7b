import Foundation

/// The metadata database as the rest of Earpiece sees it: calls, recordings, retention, playbooks, the job queue,
/// the audit log.
///
/// Every operation on a tenant's data takes that tenant's `TenantScope` and touches no other tenant's rows; the
/// few that span tenants (crash recovery, the sweeper, rewrap, job leasing) return each row with its scope. SQLite implements
/// it today (`SQLiteMetadataStore`); callers never know which database is behind it.
public protocol MetadataStore: Sendable {
    // MARK: Retention

    /// The tenant's policy, or `RetentionPolicy.standard` if it never set one.
    func retentionPolicy(_ scope: TenantScope) async throws -> RetentionPolicy
    /// Replaces the tenant's policy and returns the one it replaced. A shorter audio policy brings every ended
    /// recording's `delete_after` forward to match; a longer one leaves fixed dates alone.
    func setRetentionPolicy(_ scope: TenantScope, _ policy: RetentionPolicy, now: Date) async throws
        -> RetentionPolicy

    // MARK: Calls

    /// Inserts a new open call; throws `callExists` if the id is taken in the tenant.
    func createCall(_ call: CallRecord) async throws
    /// The call, or `nil` if the tenant has no such call.
    func call(_ scope: TenantScope, id: String) async throws -> CallRecord?
    /// The tenant's calls, newest first, started before `startedBefore` if given.
    func calls(_ scope: TenantScope, startedBefore: Date?, limit: Int) async throws -> [CallRecord]
    /// Sets or clears the legal hold; returns the previous value.
    func setLegalHold(_ scope: TenantScope, callID: String, _ hold: Bool) async throws -> Bool
    /// Calls still open whose newest part ended before `before`: given up on by their clients.
    func abandonedCalls(endedBefore before: Date) async throws -> [(TenantScope, CallRecord)]
    /// Ends an open call without a live part (after its resume window, or a crash): `delete_after` set, and its
    /// summary job queued in the same transaction (`jobForCall` finds it). Ending an ended call does nothing.
    func endCall(_ scope: TenantScope, callID: String, now: Date) async throws

    // MARK: Recordings

    /// Inserts a new open part file.
    func insertRecording(_ recording: RecordingRecord) async throws
    /// Records what a flush made durable; called before the matching `ack` is sent.
    func recordDurable(
        _ scope: TenantScope, recordingID: String, bytes: Int, packets: Int, durationMs: Int, ackedSeq: Int64?
    ) async throws
    /// Marks a part finished (its last segment written). With `endingCall`, the call ends in the same
    /// transaction, every part of it gets its `delete_after` and its summary job is queued.
    func finishRecording(
        _ scope: TenantScope, recordingID: String, bytes: Int, packets: Int, durationMs: Int, ackedSeq: Int64?,
        endingCall: Bool, now: Date
    ) async throws
    /// The call's parts in order.
    func recordings(_ scope: TenantScope, callID: String) async throws -> [RecordingRecord]
    /// Every part left open, in any tenant: after a crash, what recovery must finish.
    func openRecordings() async throws -> [(TenantScope, RecordingRecord)]
    /// Replaces an interrupted part with its recovered copy.
    func markRecovered(
        _ scope: TenantScope, recordingID: String, path: String, wrappedKey: Data, kekVersion: Int, bytes: Int,
        packets: Int, durationMs: Int, now: Date
    ) async throws
    /// Parts due for deletion at `now` whose calls are not on hold, in any tenant.
    func dueRecordings(now: Date, limit: Int) async throws -> [(TenantScope, RecordingRecord)]
    /// Destroys the part's wrapped data key (crypto-shredding) and marks it shredded. Its file is noise after this.
    func shredRecordingKey(_ scope: TenantScope, recordingID: String, now: Date) async throws
    /// Parts whose data key is wrapped under a KEK version other than `activeVersion`, in any tenant.
    func recordingsToRewrap(activeVersion: Int, limit: Int) async throws -> [(TenantScope, RecordingRecord)]
    /// Replaces a part's wrapped key if it is still wrapped under `fromVersion`; returns whether it was.
    func replaceWrappedKey(
        _ scope: TenantScope, recordingID: String, fromVersion: Int, wrappedKey: Data, kekVersion: Int
    ) async throws -> Bool

    // MARK: Playbook

    /// The tenant's playbook setting, or `nil` if it never set one (it uses the product's default).
    func playbook(_ scope: TenantScope) async throws -> PlaybookRecord?
    /// Stores `json` (a validated playbook's canonical encoding, or `nil` to go back to the default) as the
    /// tenant's next revision, and returns the setting it replaced with the new one, read and written in one
    /// transaction so that concurrent changes each see the one before.
    func setPlaybook(_ scope: TenantScope, json: String?, updatedBy: String, at: Date) async throws
        -> (previous: PlaybookRecord?, current: PlaybookRecord)

    // MARK: Jobs (docs/jobs.md)

    /// Leases the due queued job of `kind` that has waited longest, in any tenant, until `now + leaseDuration`,
    /// counting the attempt; `nil` if none is due.
    func lease(kind: JobKind, leaseDuration: TimeInterval, now: Date) async throws -> JobLease?
    /// Moves the lease's deadline to `now + extendBy`; throws `leaseLost` if the lease no longer holds.
    func heartbeat(_ lease: JobLease, extendBy: TimeInterval, now: Date) async throws -> JobLease
    /// Marks the job done; throws `leaseLost` if the lease no longer holds.
    func complete(_ lease: JobLease, now: Date) async throws
    /// Records a failed attempt: dead if `failure` is permanent or `policy` allows no more attempts, else queued
    /// again after `policy`'s backoff. Returns the job as left; throws `leaseLost` if the lease no longer holds.
    @discardableResult
    func fail(_ lease: JobLease, _ failure: JobFailure, now: Date, policy: JobRetryPolicy) async throws -> JobRecord
    /// Returns every job whose lease has expired at `now`, in any tenant, to the queue after `policy`'s backoff,
    /// or makes it dead if it has used its last attempt; returns how many it moved.
    func rescueExpiredLeases(now: Date, policy: JobRetryPolicy) async throws -> Int
    /// The tenant's jobs, newest first, only those in `state` if given.
    func jobs(_ scope: TenantScope, state: JobState?, limit: Int) async throws -> [JobRecord]
    /// The job, or `nil` if the tenant has no such job.
    func job(_ scope: TenantScope, id: String) async throws -> JobRecord?
    /// The call's job of `kind`, or `nil` if it has none (the call has not ended, or is another tenant's).
    func jobForCall(_ scope: TenantScope, callID: String, kind: JobKind) async throws -> JobRecord?
    /// Puts a dead job back in the queue, due at `now`, with its attempts reset; throws `jobNotFound` or
    /// `jobNotDead`. Returns the job as left.
    @discardableResult
    func retry(_ scope: TenantScope, id: String, now: Date) async throws -> JobRecord

    // MARK: Hints and summaries

    /// Records the hints a call's session showed, with the feedback they got; a hint already recorded (same
    /// session and id) gets its feedback updated.
    func saveHints(_ scope: TenantScope, callID: String, _ hints: [CallHintRecord]) async throws
    /// The call's hints, in audio time order.
    func hints(_ scope: TenantScope, callID: String) async throws -> [CallHintRecord]
    /// Records the call's summary unless it has one already; returns the one that stands, so that a second
    /// writer (a rescued job) learns that its file is not the one in use.
    func saveSummary(_ summary: SummaryRecord) async throws -> SummaryRecord
    /// The call's summary record, or `nil` if it has none yet.
    func summary(_ scope: TenantScope, callID: String) async throws -> SummaryRecord?
    /// Summaries whose `delete_after` has come, in any tenant, except those of calls on legal hold.
    func dueSummaries(now: Date, limit: Int) async throws -> [(TenantScope, SummaryRecord)]
    /// Deletes the call's summary record, and with it the wrapped key that opens its file.
    func deleteSummary(_ scope: TenantScope, callID: String) async throws

    // MARK: Audit

    /// Appends an event to the tenant's audit log.
    func appendAudit(_ event: AuditEvent) async throws
    /// The tenant's events in time order, from `from` (inclusive) to `to` (exclusive), after the event id
    /// `after` when paging on.
    func auditEvents(_ scope: TenantScope, from: Date?, to: Date?, after: Int64?, limit: Int) async throws
        -> [AuditEvent]
}
