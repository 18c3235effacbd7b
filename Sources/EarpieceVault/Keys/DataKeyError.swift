/// Every way deriving a key-encryption key or wrapping, unwrapping or rewrapping a data key can fail.
///
/// Descriptions never contain key material; an authentication failure deliberately does not say which binding
/// (org, env, object id, KEK version or the bytes themselves) was wrong.
public enum DataKeyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An org, env or object id is empty, too long, or contains a NUL byte.
    case invalidBinding(String)
    /// The data key to wrap is not 32 bytes.
    case invalidDataKey(byteCount: Int)
    /// The keyring holds no root key of this version, so the KEK of that version cannot be derived.
    case unknownKEKVersion(UInt32)
    /// The wrapped key is not the serialized form `docs/key-hierarchy.md` describes.
    case malformedWrappedKey(String)
    /// The wrapped key did not authenticate: wrong org, env, object id or KEK version, or damaged bytes.
    case authenticationFailed
    /// The cryptographic library refused an operation that cannot fail on valid input.
    case cryptoFailure(String)

    public var description: String {
        switch self {
        case .invalidBinding(let reason):
            return "invalid key binding: \(reason)"
        case .invalidDataKey(let byteCount):
            return "a data key must be 32 bytes, not \(byteCount)"
        case .unknownKEKVersion(let version):
            return "no root key of version \(version) in the keyring: restore the keyring that held it"
        case .malformedWrappedKey(let reason):
            return "malformed wrapped data key: \(reason)"
        case .authenticationFailed:
            return "the wrapped data key failed authentication: it belongs to another org, env, object or KEK "
                + "version, or it was damaged"
        case .cryptoFailure(let reason):
            return "the cryptographic library failed: \(reason)"
        }
    }
}
