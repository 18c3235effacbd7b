#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Who made a request, as established by a verified token: the value that tenant scoping starts from.
public struct Principal: Sendable, Equatable {
    /// The token's `sub`: an opaque user id from the issuer.
    public let userID: String
    /// The token's `org`.
    public let org: String
    /// The token's `env`.
    public let env: TenantEnvironment
    /// The token's `roles`; never empty.
    public let roles: Set<Role>
    /// The scopes Earpiece knows among the token's `scope` and `scp` claims; empty when it has neither.
    public let scopes: Set<Scope>
    /// The token's `exp`: a WebSocket opened with this token should not outlive it.
    public let expiresAt: Date

    public init(
        userID: String, org: String, env: TenantEnvironment, roles: Set<Role>, scopes: Set<Scope> = [],
        expiresAt: Date
    ) {
        self.userID = userID
        self.org = org
        self.env = env
        self.roles = roles
        self.scopes = scopes
        self.expiresAt = expiresAt
    }

    /// Whether the token granted `role`.
    public func has(_ role: Role) -> Bool {
        roles.contains(role)
    }

    /// Whether the token granted `scope`.
    public func has(_ scope: Scope) -> Bool {
        scopes.contains(scope)
    }
}
