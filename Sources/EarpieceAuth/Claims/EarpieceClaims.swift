import JWTKit

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The payload of an Earpiece token as it travels: every claim optional, every type problem noted rather
/// than thrown, so that ``ClaimRules`` can name the claim that is missing or wrong.
///
/// jwt-kit decodes this only after the signature has verified. Its `verify(using:)` does nothing on purpose:
/// the checks need the configured issuer, audience, skew and clock, which ``ClaimRules`` has.
struct EarpieceClaims: JWTPayload, Equatable {
    var issuer: String?
    var subject: String?
    var audience: [String]?
    var expiration: Date?
    var notBefore: Date?
    var issuedAt: Date?
    var org: String?
    var env: String?
    var roles: [String]?
    /// The scope names of `scope`, split at spaces when it came as one string.
    var scope: [String]?
    /// The scope names of `scp`, the claim some identity providers use instead of `scope`.
    var scp: [String]?
    /// Claims that were present with the wrong JSON type, with what they should have been.
    var typeProblems: [String: String] = [:]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case issuer = "iss"
        case subject = "sub"
        case audience = "aud"
        case expiration = "exp"
        case notBefore = "nbf"
        case issuedAt = "iat"
        case org, env, roles, scope, scp
    }

    init(
        issuer: String? = nil, subject: String? = nil, audience: [String]? = nil, expiration: Date? = nil,
        notBefore: Date? = nil, issuedAt: Date? = nil, org: String? = nil, env: String? = nil, roles: [String]? = nil,
        scope: [String]? = nil
    ) {
        self.issuer = issuer
        self.subject = subject
        self.audience = audience
        self.expiration = expiration
        self.notBefore = notBefore
        self.issuedAt = issuedAt
        self.org = org
        self.env = env
        self.roles = roles
        self.scope = scope
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        var problems: [String: String] = [:]

        func string(_ key: CodingKeys) -> String? {
            guard container.contains(key) else { return nil }
            if let value = try? container.decode(String.self, forKey: key) { return value }
            problems[key.rawValue] = "must be a string"
            return nil
        }
        func strings(_ key: CodingKeys, orSingle allowsSingle: Bool) -> [String]? {
            guard container.contains(key) else { return nil }
            if let value = try? container.decode([String].self, forKey: key) { return value }
            if allowsSingle, let value = try? container.decode(String.self, forKey: key) { return [value] }
            problems[key.rawValue] =
                allowsSingle ? "must be a string or an array of strings" : "must be an array of strings"
            return nil
        }
        func scopeNames(_ key: CodingKeys) -> [String]? {
            guard container.contains(key) else { return nil }
            // RFC 6749 §3.3 writes scopes as one string of names joined by spaces; Okta's `scp` and others use an
            // array. Runs of spaces are tolerated rather than refused: they add no name.
            if let value = try? container.decode(String.self, forKey: key) {
                return value.split(separator: " ").map(String.init)
            }
            if let value = try? container.decode([String].self, forKey: key) { return value }
            problems[key.rawValue] = "must be a string of space-separated scope names or an array of strings"
            return nil
        }
        func numericDate(_ key: CodingKeys) -> Date? {
            guard container.contains(key) else { return nil }
            // RFC 7519 NumericDate: seconds since the epoch, fractions allowed.
            if let seconds = try? container.decode(Double.self, forKey: key), seconds.isFinite,
                abs(seconds) < 1e11
            {
                return Date(timeIntervalSince1970: seconds)
            }
            problems[key.rawValue] = "must be a number of seconds since 1970"
            return nil
        }

        self.issuer = string(.issuer)
        self.subject = string(.subject)
        self.audience = strings(.audience, orSingle: true)
        self.expiration = numericDate(.expiration)
        self.notBefore = numericDate(.notBefore)
        self.issuedAt = numericDate(.issuedAt)
        self.org = string(.org)
        self.env = string(.env)
        self.roles = strings(.roles, orSingle: false)
        self.scope = scopeNames(.scope)
        self.scp = scopeNames(.scp)
        self.typeProblems = problems
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(issuer, forKey: .issuer)
        try container.encodeIfPresent(subject, forKey: .subject)
        if let audience {
            // One audience is written as a plain string, as most issuers do.
            if audience.count == 1 {
                try container.encode(audience[0], forKey: .audience)
            } else {
                try container.encode(audience, forKey: .audience)
            }
        }
        try container.encodeIfPresent(expiration.map(Self.wholeSeconds), forKey: .expiration)
        try container.encodeIfPresent(notBefore.map(Self.wholeSeconds), forKey: .notBefore)
        try container.encodeIfPresent(issuedAt.map(Self.wholeSeconds), forKey: .issuedAt)
        try container.encodeIfPresent(org, forKey: .org)
        try container.encodeIfPresent(env, forKey: .env)
        try container.encodeIfPresent(roles, forKey: .roles)
        // `scope` goes out in the RFC's own form, one space-delimited string.
        try container.encodeIfPresent(scope?.joined(separator: " "), forKey: .scope)
        try container.encodeIfPresent(scp, forKey: .scp)
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {}

    private static func wholeSeconds(_ date: Date) -> Int64 {
        Int64(date.timeIntervalSince1970.rounded(.down))
    }
}
