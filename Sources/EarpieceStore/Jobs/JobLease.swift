import Foundation

/// A worker's hold on one job: valid while the job is still leased under `token` and `expiresAt` has not come.
///
/// Pass it back to `heartbeat`, `complete` or `fail`; each throws `StoreError.leaseLost` once it no longer holds.
public struct JobLease: Sendable, Equatable {
    /// The tenant the job belongs to; the worker reads the call's data under it.
    public let scope: TenantScope
    public let jobID: String
    public let callID: String
    public let kind: JobKind
    /// Fences this lease from any later one on the same job.
    public let token: String
    public let expiresAt: Date
    /// Which attempt this is, from 1.
    public let attempt: Int

    public init(
        scope: TenantScope, jobID: String, callID: String, kind: JobKind, token: String, expiresAt: Date,
        attempt: Int
    ) {
        self.scope = scope
        self.jobID = jobID
        self.callID = callID
        self.kind = kind
        self.token = token
        self.expiresAt = expiresAt
        self.attempt = attempt
    }
}
