/// Why recording, recovering, exporting or deleting audio failed.
public enum RecordingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A file operation failed; the reason names the file and the system's error.
    case io(String)
    /// The recording's data key could not be wrapped or unwrapped.
    case keys(String)
    /// The sealed file did not authenticate or its audio did not parse.
    case damaged(String)
    /// The call has no recording (or is not the caller's tenant's).
    case notFound(String)
    /// The recording was deleted by the retention clock.
    case deleted(String)

    public var description: String {
        switch self {
        case .io(let reason): reason
        case .keys(let reason): "recording keys: \(reason)"
        case .damaged(let reason): "recording damaged: \(reason)"
        case .notFound(let what): "no recording for \(what)"
        case .deleted(let what): "the recording of \(what) was deleted under the retention policy"
        }
    }
}
