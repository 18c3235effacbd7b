/// Why a metadata-store operation failed, in words an operator can act on.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The database file could not be opened or migrated.
    case unavailable(String)
    /// A call with this id already exists in the tenant.
    case callExists(String)
    /// No such call in the tenant (also what another tenant's call looks like).
    case callNotFound(String)
    /// No such recording in the tenant.
    case recordingNotFound(String)
    /// The call has ended; it can no longer be resumed or recorded to.
    case callEnded(String)
    /// No such job in the tenant (also what another tenant's job looks like).
    case jobNotFound(String)
    /// The job is not dead, so there is nothing to retry.
    case jobNotDead(String)
    /// The worker's lease on the job no longer holds: its deadline passed, or another worker leased the job since.
    case leaseLost(String)
    /// A value out of its allowed range.
    case invalidValue(String)
    /// The database refused a statement.
    case database(String)

    public var description: String {
        switch self {
        case .unavailable(let reason): "metadata database unavailable: \(reason)"
        case .callExists(let id): "call \(id) already exists"
        case .callNotFound(let id): "no call \(id)"
        case .recordingNotFound(let id): "no recording \(id)"
        case .callEnded(let id): "call \(id) has ended"
        case .jobNotFound(let id): "no job \(id)"
        case .jobNotDead(let id): "job \(id) is not dead; only a dead job can be retried"
        case .leaseLost(let id):
            "the lease on job \(id) no longer holds (expired or taken over); drop this attempt's result"
        case .invalidValue(let reason): reason
        case .database(let reason): "database error: \(reason)"
        }
    }
}
