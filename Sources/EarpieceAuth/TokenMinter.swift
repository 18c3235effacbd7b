import JWTKit

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Mints HS256 tokens with the development key, for `earpiece token` and for tests.
///
/// What it mints passes the same claim rules as ``TokenVerifier`` applies, so a token it returns is one the
/// gateway accepts (until it expires).
public struct TokenMinter: Sendable {
    public let key: DevSigningKey
    /// The `iss` written; it must be the verifier's ``AuthConfiguration/issuer``.
    public let issuer: String
    /// The `aud` written; it must be the verifier's ``AuthConfiguration/audience``.
    public let audience: String

    public init(key: DevSigningKey, issuer: String = "earpiece", audience: String = "earpiece-gateway") {
        self.key = key
        self.issuer = issuer
        self.audience = audience
    }

    /// A minter whose tokens the verifier with `configuration` accepts.
    public init(key: DevSigningKey, configuration: AuthConfiguration) {
        self.init(key: key, issuer: configuration.issuer, audience: configuration.audience)
    }

    /// A signed token for `userID` in (`org`, `env`) with `roles` and `scopes`, valid from `now` for `ttl`.
    ///
    /// `exp` and `iat` are whole seconds (`now` rounded down). `scopes` go into a space-delimited `scope`
    /// claim, which is left out when there are none. Throws ``AuthError/invalidClaim(_:reason:)`` for
    /// values the verifier would refuse.
    public func mint(
        userID: String, org: String, env: TenantEnvironment, roles: Set<Role>, scopes: Set<Scope> = [],
        ttl: Duration = .seconds(3600), now: Date = Date()
    ) async throws(AuthError) -> String {
        let roleNames = roles.map(\.rawValue).sorted()
        _ = try ClaimRules.principal(userID: userID, org: org, envName: env.rawValue, roleNames: roleNames)
        guard ttl > .zero, ttl <= TokenLifetime.maximum else {
            throw .invalidClaim(
                "exp", reason: "the lifetime must be more than 0 and at most \(TokenLifetime.maximumDescription)")
        }
        let issuedAt = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        let claims = EarpieceClaims(
            issuer: issuer, subject: userID, audience: [audience],
            expiration: issuedAt.addingTimeInterval(ClaimRules.seconds(ttl)), issuedAt: issuedAt,
            org: org, env: env.rawValue, roles: roleNames,
            scope: scopes.isEmpty ? nil : scopes.map(\.rawValue).sorted())

        let collection = JWTKeyCollection()
        let keyID = JWKIdentifier(string: key.keyID)
        await collection.add(hmac: HMACKey(key: key.secret), digestAlgorithm: .sha256, kid: keyID)
        do {
            return try await collection.sign(claims, kid: keyID)
        } catch {
            throw .configuration("could not sign a token with \(key)")
        }
    }
}
