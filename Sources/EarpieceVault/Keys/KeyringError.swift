/// Every way root keys can fail to be loaded, created, parsed or rotated.
///
/// Descriptions name the file, variable or field at fault and what to do; they never contain key material.
public enum KeyringError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The keyring file or its folder cannot be used: missing rights, a symbolic link, open to others, I/O.
    case keyringFile(String)
    /// The keyring file is not the JSON the format describes, or a key in it is not 32 bytes.
    case malformedKeyring(path: String, reason: String)
    /// `EARPIECE_ROOT_KEYS` is not `version:base64` pairs separated by commas.
    case malformedEnvironment(String)
    /// A set of root keys that cannot form a keyring: none, duplicate versions, or no key for the active version.
    case invalidKeyring(String)

    public var description: String {
        switch self {
        case .keyringFile(let reason):
            return "keyring file: \(reason)"
        case .malformedKeyring(let path, let reason):
            return "\(path) is not a valid keyring: \(reason); restore it from a backup (never regenerate it, or "
                + "every recording it protects is lost)"
        case .malformedEnvironment(let reason):
            return "\(Keyring.environmentVariable) is malformed: \(reason); expected e.g. "
                + "\"1:<base64 of 32 bytes>,2:<base64 of 32 bytes>\""
        case .invalidKeyring(let reason):
            return "invalid keyring: \(reason)"
        }
    }
}
