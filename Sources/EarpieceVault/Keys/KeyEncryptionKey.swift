import Crypto

/// A tenant's key-encryption key (KEK) of one version, derived from the root key of that version.
///
/// `KEK = HKDF-SHA256(IKM = root key, salt = "earpiece kek v1", info = org ‖ 00 ‖ env ‖ 00 ‖ u32be(version))`,
/// as `docs/key-hierarchy.md` lays out: nothing is stored per tenant, and a KEK version is a root-key version.
/// Its `description` names the tenant and version, never the key.
public struct KeyEncryptionKey: Sendable, CustomStringConvertible, CustomReflectable {
    /// The HKDF salt: these 15 ASCII bytes.
    static let salt = Array("earpiece kek v1".utf8)

    /// The tenant (organisation).
    public let org: String
    /// The tenant's environment, e.g. `prod`.
    public let env: String
    /// The KEK version, equal to the root key's version.
    public let version: UInt32
    let key: SymmetricKey

    /// Derives the KEK of `rootKey`'s version for (`org`, `env`).
    public init(rootKey: RootKey, org: String, env: String) throws(DataKeyError) {
        try Self.checkBinding(org, field: "org", maximum: SealedBlobKeyReference.maximumOrgBytes)
        try Self.checkBinding(env, field: "env", maximum: SealedBlobKeyReference.maximumEnvBytes)
        var info = Array(org.utf8) + [0] + Array(env.utf8) + [0]
        info += withUnsafeBytes(of: rootKey.version.bigEndian) { Array($0) }
        self.org = org
        self.env = env
        self.version = rootKey.version
        self.key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: rootKey.key, salt: Self.salt, info: info, outputByteCount: 32)
    }

    /// Derives the KEK of `version` for (`org`, `env`) from `keyring`.
    public init(keyring: Keyring, org: String, env: String, version: UInt32) throws(DataKeyError) {
        guard let root = keyring.rootKey(version: version) else { throw .unknownKEKVersion(version) }
        try self.init(rootKey: root, org: org, env: env)
    }

    public var description: String {
        "KeyEncryptionKey(org: \(org), env: \(env), version: \(version), key: <redacted>)"
    }

    /// Reflection (`dump`, debuggers) shows the tenant and version only.
    public var customMirror: Mirror {
        Mirror(self, children: ["org": org, "env": env, "version": version], displayStyle: .struct)
    }

    /// Org, env and object id are 1 to `maximum` UTF-8 bytes without NUL: NUL separates the HKDF info fields.
    static func checkBinding(_ value: String, field: String, maximum: Int) throws(DataKeyError) {
        let count = value.utf8.count
        guard count >= 1, count <= maximum else {
            throw .invalidBinding("\(field) must be 1...\(maximum) UTF-8 bytes, not \(count)")
        }
        guard !value.utf8.contains(0) else { throw .invalidBinding("\(field) must not contain a NUL byte") }
    }
}
