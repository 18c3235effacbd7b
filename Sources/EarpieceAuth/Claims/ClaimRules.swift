#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The checks a token's claims must pass once its signature has verified; what passes becomes a ``Principal``.
///
/// ``TokenMinter`` runs the same rules over what it is asked to mint, so Earpiece never issues a token that
/// it would refuse.
struct ClaimRules {
    /// The `iss` required; it depends on which key source signed the token.
    let issuer: String
    let audience: String
    let clockSkew: Duration

    /// More than this is a token that has been stuffed, not a user with many roles.
    static let maximumRoleCount = 8
    static let maximumAudienceCount = 16
    /// Per scope claim; issuers that list every API permission stay well under it.
    static let maximumScopeCount = 32

    func principal(from claims: EarpieceClaims, now: Date) throws(AuthError) -> Principal {
        // A claim of the wrong type is reported before a missing one, in the order of the payload's keys.
        for key in EarpieceClaims.CodingKeys.allCases {
            if let problem = claims.typeProblems[key.rawValue] {
                throw .invalidClaim(key.rawValue, reason: problem)
            }
        }
        guard let tokenIssuer = claims.issuer else { throw .missingClaim("iss") }
        guard let audiences = claims.audience else { throw .missingClaim("aud") }
        guard let expiration = claims.expiration else { throw .missingClaim("exp") }
        guard let subject = claims.subject else { throw .missingClaim("sub") }
        guard let org = claims.org else { throw .missingClaim("org") }
        guard let envName = claims.env else { throw .missingClaim("env") }
        guard let roleNames = claims.roles else { throw .missingClaim("roles") }

        guard tokenIssuer == issuer else { throw .wrongIssuer }
        guard audiences.count <= Self.maximumAudienceCount else {
            throw .invalidClaim("aud", reason: "more than \(Self.maximumAudienceCount) audiences")
        }
        guard audiences.contains(audience) else { throw .wrongAudience(expected: audience) }

        let skew = Self.seconds(clockSkew)
        guard now.timeIntervalSince(expiration) < skew else { throw .expired }
        if let notBefore = claims.notBefore, notBefore.timeIntervalSince(now) > skew {
            throw .notYetValid
        }
        if let issuedAt = claims.issuedAt, issuedAt.timeIntervalSince(now) > skew {
            throw .invalidClaim("iat", reason: "the token claims to be issued in the future")
        }

        let principal = try Self.principal(userID: subject, org: org, envName: envName, roleNames: roleNames)
        var scopes = Set<Scope>()
        if let names = claims.scope { scopes.formUnion(try Self.scopes(names, claim: "scope")) }
        if let names = claims.scp { scopes.formUnion(try Self.scopes(names, claim: "scp")) }
        return Principal(
            userID: principal.userID, org: principal.org, env: principal.env, roles: principal.roles,
            scopes: scopes, expiresAt: expiration)
    }

    /// The scopes Earpiece knows among `names`, once every name has passed the shape check.
    ///
    /// Names Earpiece doesn't know are dropped rather than refused: issuers put their own scopes in the same
    /// claim, and a token for several services must still work here. Every name is checked all the same: one
    /// outside the grammar means the claim was not written the way it is read here (an array entry holding
    /// several names, say), and guessing at it could read a grant that was never given.
    static func scopes(_ names: [String], claim: String) throws(AuthError) -> Set<Scope> {
        guard names.count <= maximumScopeCount else {
            throw .invalidClaim(claim, reason: "more than \(maximumScopeCount) scopes")
        }
        var scopes = Set<Scope>()
        for name in names {
            guard IdentifierRules.isValidScopeName(name) else {
                throw .invalidClaim(
                    claim,
                    reason: "each scope must be 1–\(IdentifierRules.maximumScopeNameLength) printable ASCII "
                        + "characters other than space, \" and \\")
            }
            if let scope = Scope(rawValue: name) { scopes.insert(scope) }
        }
        return scopes
    }

    /// The identity claims alone, checked for shape; `expiresAt` is left at the distant past for the caller.
    static func principal(userID: String, org: String, envName: String, roleNames: [String]) throws(AuthError)
        -> Principal
    {
        guard IdentifierRules.isValidUserID(userID) else {
            let limit = IdentifierRules.maximumUserIDLength
            throw .invalidClaim("sub", reason: "must be 1–\(limit) characters of letters, digits and . _ : @ | + -")
        }
        guard IdentifierRules.isValidOrg(org) else {
            throw .invalidClaim(
                "org",
                reason: "must be 1–\(IdentifierRules.maximumOrgLength) characters of letters, digits and . _ -, "
                    + "starting with a letter or digit")
        }
        guard let env = TenantEnvironment(rawValue: envName) else {
            throw .invalidClaim("env", reason: "must be one of dev, staging, prod")
        }
        guard !roleNames.isEmpty else {
            throw .invalidClaim("roles", reason: "must name at least one role")
        }
        guard roleNames.count <= maximumRoleCount else {
            throw .invalidClaim("roles", reason: "more than \(maximumRoleCount) entries")
        }
        var roles = Set<Role>()
        for name in roleNames {
            guard let role = Role(rawValue: name) else {
                throw .invalidClaim("roles", reason: "unknown role; the roles are rep, admin and auditor")
            }
            roles.insert(role)
        }
        return Principal(userID: userID, org: org, env: env, roles: roles, expiresAt: .distantPast)
    }

    static func seconds(_ duration: Duration) -> Double {
        let components = duration.components
        return Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
