/// The environment half of a tenant (organisation, environment); a token carries it in its `env` claim.
public enum TenantEnvironment: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    case dev
    case staging
    case prod

    public var description: String { rawValue }
}
