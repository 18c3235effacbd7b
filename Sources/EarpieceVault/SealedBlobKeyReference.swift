/// Names the key-encryption key (KEK) that wraps a sealed blob's data key: tenant, environment and KEK version.
///
/// It is written into the header in the clear, so that a reader knows which KEK unwraps the data key, and it is
/// authenticated with every segment, so that it cannot be changed without the file failing to open.
public struct SealedBlobKeyReference: Sendable, Hashable {
    /// The most UTF-8 bytes an organisation id may have.
    public static let maximumOrgBytes = 64
    /// The most UTF-8 bytes an environment name may have.
    public static let maximumEnvBytes = 32

    /// The tenant (organisation) whose KEK wraps the data key.
    public let org: String
    /// The tenant's environment, e.g. `prod`.
    public let env: String
    /// The version of the tenant's KEK that wraps the data key.
    public let kekVersion: UInt32

    /// Checks each field's bounds; both strings must be 1 to their maximum UTF-8 bytes.
    public init(org: String, env: String, kekVersion: UInt32) throws(SealedBlobError) {
        try Self.check(org, field: "org", maximum: Self.maximumOrgBytes)
        try Self.check(env, field: "env", maximum: Self.maximumEnvBytes)
        self.org = org
        self.env = env
        self.kekVersion = kekVersion
    }

    private static func check(_ value: String, field: String, maximum: Int) throws(SealedBlobError) {
        let count = value.utf8.count
        guard count >= 1, count <= maximum else {
            throw .invalidKeyReference("\(field) must be 1...\(maximum) UTF-8 bytes, not \(count)")
        }
    }
}
