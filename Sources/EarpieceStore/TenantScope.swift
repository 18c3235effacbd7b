import EarpieceAuth

/// The tenant (organisation, environment) a store operation is confined to.
///
/// Every read and write in `MetadataStore` takes one, so a query without a tenant does not compile. It is made
/// from a verified token's `Principal`; the only other way to get one is `operatorScope`, which the command line
/// and the server's own background jobs use, and which is named so that every such use is easy to find.
public struct TenantScope: Sendable, Hashable, CustomStringConvertible {
    /// The organisation id.
    public let org: String
    /// The environment.
    public let env: TenantEnvironment

    /// The scope of the tenant a verified token belongs to.
    public init(_ principal: Principal) {
        self.org = principal.org
        self.env = principal.env
    }

    private init(org: String, env: TenantEnvironment) {
        self.org = org
        self.env = env
    }

    /// A scope chosen by the operator or a background job rather than by a token (`earpiece export`, the sweeper).
    public static func operatorScope(org: String, env: TenantEnvironment) -> TenantScope {
        TenantScope(org: org, env: env)
    }

    public var description: String { "\(org)/\(env.rawValue)" }
}
