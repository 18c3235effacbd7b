import JWTKit
import Logging

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Checks bearer tokens and turns the good ones into a ``Principal``.
///
/// The order of the checks, each failing with its own ``AuthError``:
/// 1. length (``AuthConfiguration/maximumTokenLength``) and shape: three unpadded base64url segments, a JSON
///    header with a string `alg` and no `crit`;
/// 2. `alg` is HS256 or ES256 — `none` and everything else are refused before any key is looked at;
/// 3. `kid` is present and names a key this gateway holds (there is no default key: a token without a `kid`
///    is refused even when only one key is loaded, so adding a second key never changes what is accepted);
/// 4. `alg` is the algorithm of that key, which stops HS256 tokens "signed" with an ES256 public key;
/// 5. the signature, by jwt-kit, with that one key;
/// 6. the claims (``ClaimRules``): `iss` (per key source), `aud`, `exp`/`nbf`/`iat` with the clock skew,
///    `sub`, `org`, `env`, `roles`, and `scope`/`scp` when present.
///
/// `verify` runs off this actor, which it visits only to look a key up. The signature check runs on that key's
/// own `JWTKeyCollection` actor, so checks against one key take turns (measured in a release build on two
/// cores: about 65 µs for HS256 and 155 µs for ES256 each, all included).
public actor TokenVerifier {
    public nonisolated let configuration: AuthConfiguration
    private let developmentKey: VerificationKey?
    private var keys: [String: VerificationKey]
    private let logger: Logger

    /// Loads the development key (creating it on first run) and the JWKS file, as the configuration asks.
    public init(configuration: AuthConfiguration, logger: Logger = Logger(label: "earpiece.auth"))
        async throws(AuthError)
    {
        try configuration.validate()
        var developmentKey: VerificationKey?
        if configuration.acceptsDevelopmentKey {
            let key = try DevSigningKey.loadOrCreate(dataDirectory: configuration.dataDirectory)
            developmentKey = await VerificationKey.hs256(key, issuer: configuration.issuer)
            logger.info(
                "\(key.isNewlyCreated ? "created" : "loaded") the development HS256 signing key",
                metadata: ["kid": "\(key.keyID)", "path": "\(key.path)"])
        }
        var keys: [String: VerificationKey] = [:]
        if let developmentKey { keys[developmentKey.keyID] = developmentKey }
        if let path = configuration.jwksPath {
            let (jwksKeys, report) = try await Self.loadJWKS(
                path: path, issuer: configuration.effectiveJWKSIssuer, reservedKeyID: developmentKey?.keyID)
            for key in jwksKeys { keys[key.keyID] = key }
            Self.log(report, to: logger)
        }
        self.configuration = configuration
        self.developmentKey = developmentKey
        self.keys = keys
        self.logger = logger
    }

    /// The principal that `token` speaks for, or why it speaks for no one.
    ///
    /// - Parameters:
    ///   - token: The bearer token, as ``TokenExtraction`` found it; `nil` or empty is ``AuthError/missingToken``.
    ///   - now: The time to check `exp`, `nbf` and `iat` against.
    public nonisolated func verify(_ token: String?, at now: Date = Date()) async throws(AuthError) -> Principal {
        guard let token, !token.isEmpty else { throw .missingToken }
        let compact = try CompactToken(token, maximumLength: configuration.maximumTokenLength)
        guard let algorithm = VerificationKey.Algorithm(rawValue: compact.algorithm) else {
            throw .unsupportedAlgorithm(AuthError.printable(compact.algorithm))
        }
        guard let keyID = compact.keyID else { throw .missingKeyID }
        guard let key = await self.key(for: keyID) else { throw .unknownKey(AuthError.printable(keyID)) }
        guard key.algorithm == algorithm else {
            throw .algorithmMismatch(tokenAlgorithm: algorithm.rawValue, keyAlgorithm: key.algorithm.rawValue)
        }
        guard !compact.hasEmptySignature else { throw .badSignature }

        let claims: EarpieceClaims
        do {
            claims = try await key.collection.verify(token, as: EarpieceClaims.self)
        } catch let error as JWTError where error.errorType == .malformedToken {
            // The signature held (jwt-kit decodes the payload only after checking it), but the payload is not
            // a JSON object. jwt-kit's own reason quotes decoder internals, so it is not passed on.
            throw .malformedToken("the payload is not a JSON object")
        } catch {
            throw .badSignature
        }
        let rules = ClaimRules(issuer: key.issuer, audience: configuration.audience, clockSkew: configuration.clockSkew)
        return try rules.principal(from: claims, now: now)
    }

    /// Reads the JWKS file again and trusts exactly the keys it now holds; the development key stays.
    ///
    /// If the file can't be read or is refused, the keys already loaded stay in force and the error is thrown.
    @discardableResult
    public func reloadJWKS() async throws(AuthError) -> JWKSLoadReport {
        guard let path = configuration.jwksPath else {
            throw .configuration("no JWKS file is configured, so there is nothing to reload")
        }
        let (jwksKeys, report) = try await Self.loadJWKS(
            path: path, issuer: configuration.effectiveJWKSIssuer, reservedKeyID: developmentKey?.keyID)
        var keys: [String: VerificationKey] = [:]
        if let developmentKey { keys[developmentKey.keyID] = developmentKey }
        for key in jwksKeys { keys[key.keyID] = key }
        self.keys = keys
        Self.log(report, to: logger)
        return report
    }

    /// The `kid`s of every key that tokens may currently be signed with, sorted.
    public func trustedKeyIDs() -> [String] {
        keys.keys.sorted()
    }

    private func key(for keyID: String) -> VerificationKey? {
        keys[keyID]
    }

    private static func loadJWKS(path: String, issuer: String, reservedKeyID: String?) async throws(AuthError)
        -> ([VerificationKey], JWKSLoadReport)
    {
        let document = try JWKSDocument.load(path: path)
        var keys: [VerificationKey] = []
        for entry in document.keys {
            guard entry.keyID != reservedKeyID else {
                throw .configuration(
                    "\(path) has a key with the development key's kid \"\(entry.keyID)\"; one kid must name one key")
            }
            keys.append(try await VerificationKey.es256(keyID: entry.keyID, publicKey: entry.publicKey, issuer: issuer))
        }
        let report = JWKSLoadReport(path: path, keyIDs: keys.map(\.keyID), skipped: document.skipped)
        return (keys, report)
    }

    private static func log(_ report: JWKSLoadReport, to logger: Logger) {
        logger.info(
            "loaded JWKS keys", metadata: ["path": "\(report.path)", "kids": "\(report.keyIDs.joined(separator: ","))"])
        for skipped in report.skipped {
            logger.warning("skipped a JWKS key", metadata: ["path": "\(report.path)", "key": "\(skipped)"])
        }
    }
}
