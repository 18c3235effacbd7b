import Crypto

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One version of the root key: 32 random bytes from which every tenant's KEK of that version is derived.
///
/// Its `description` names the version only, never the key.
public struct RootKey: Sendable, CustomStringConvertible, CustomReflectable {
    /// The number of bytes in a root key.
    public static let byteCount = 32

    /// The root key's version, which is also the version of every KEK derived from it (1 or more).
    public let version: UInt32
    /// When the key was created; `nil` for keys taken from the environment.
    public let created: Date?
    let key: SymmetricKey

    /// A root key from its bytes, which must be exactly 32.
    public init(version: UInt32, keyBytes: some Collection<UInt8>, created: Date? = nil) throws(KeyringError) {
        guard version >= 1 else { throw .invalidKeyring("root key versions start at 1, not 0") }
        guard keyBytes.count == Self.byteCount else {
            throw .invalidKeyring("root key \(version) has \(keyBytes.count) bytes, not \(Self.byteCount)")
        }
        self.version = version
        self.created = created
        self.key = SymmetricKey(data: Array(keyBytes))
    }

    /// A new random root key.
    public static func generate(version: UInt32, created: Date = Date()) throws(KeyringError) -> RootKey {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        return try RootKey(version: version, keyBytes: bytes, created: created)
    }

    public var description: String { "RootKey(version: \(version), key: <redacted>)" }

    /// Reflection (`dump`, debuggers) shows the version only.
    public var customMirror: Mirror { Mirror(self, children: ["version": version], displayStyle: .struct) }

    var keyBytes: [UInt8] { key.withUnsafeBytes { Array($0) } }
}
