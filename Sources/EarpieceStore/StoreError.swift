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
        case .invalidValue(let reason): reason
        case .database(let reason): "database error: \(reason)"
        }
    }
}
