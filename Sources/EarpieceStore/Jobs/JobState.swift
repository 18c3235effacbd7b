/// Where a job is in its life (`docs/jobs.md`).
public enum JobState: String, Sendable, Codable, CaseIterable {
    /// Waiting for a worker; leasable once its `runAfter` has come.
    case queued
    /// Held by a worker until its lease's deadline.
    case leased
    /// Completed. Final.
    case done
    /// Failed for good (the dead-letter state): only an admin retry puts it back.
    case dead
}
