import Crypto
import Foundation
import Logging
import Testing

@testable import EarpieceAuth

/// A directory under the system's temporary directory, removed when the value goes away.
final class TemporaryDirectory: Sendable {
    let path: String

    init() throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("earpiece-auth-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.path
    }

    func file(_ name: String) -> String { path + "/" + name }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Builds compact JWS tokens byte by byte with swift-crypto, so tests can make any header, payload or
/// signature — including the ones jwt-kit would never produce.
enum TokenCrafting {
    static func segment(_ json: [String: Any]) -> String {
        // Sorted keys keep tokens reproducible; JSONSerialization refuses only non-JSON values.
        let data = (try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])) ?? Data()
        return Base64URL.encode(data)
    }

    static func hs256(header: [String: Any], payload: [String: Any], secret: some ContiguousBytes) -> String {
        let input = segment(header) + "." + segment(payload)
        let mac = HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: SymmetricKey(data: secret))
        return input + "." + Base64URL.encode(Array(mac))
    }

    static func es256(header: [String: Any], payload: [String: Any], key: P256.Signing.PrivateKey) -> String {
        let input = segment(header) + "." + segment(payload)
        let signature = (try? key.signature(for: Data(input.utf8)))?.rawRepresentation ?? Data()
        return input + "." + Base64URL.encode(signature)
    }

    static func unsigned(header: [String: Any], payload: [String: Any]) -> String {
        segment(header) + "." + segment(payload) + "."
    }
}

/// An identity provider made up for a test: a P-256 key pair whose public half is published as a JWK.
struct TestIdentityProvider: Sendable {
    let keyID: String
    let privateKey: P256.Signing.PrivateKey

    init(keyID: String) {
        self.keyID = keyID
        self.privateKey = P256.Signing.PrivateKey()
    }

    var jwk: [String: Any] {
        let raw = privateKey.publicKey.rawRepresentation
        return [
            "kty": "EC", "crv": "P-256", "alg": "ES256", "use": "sig", "kid": keyID,
            "x": Base64URL.encode(raw.prefix(32)), "y": Base64URL.encode(raw.suffix(32)),
        ]
    }

    static func writeJWKS(_ keys: [[String: Any]], to path: String) throws {
        let data = try JSONSerialization.data(withJSONObject: ["keys": keys], options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: path))
        // Whatever the umask, the file must not be writable by others, or the verifier refuses it.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
    }
}

/// A verifier that trusts a fresh development key and one identity provider's JWKS, with a fixed clock.
struct AuthFixture: Sendable {
    static let now = Date(timeIntervalSince1970: 1_750_000_000)
    static let identityProviderIssuer = "https://idp.example.test/"
    static let quietLogger = Logger(label: "earpiece.auth.tests") { _ in SwiftLogNoOpLogHandler() }

    let directory: TemporaryDirectory
    let devKey: DevSigningKey
    let identityProvider: TestIdentityProvider
    let jwksPath: String
    let verifier: TokenVerifier

    init(configure: (inout AuthConfiguration) -> Void = { _ in }) async throws {
        directory = try TemporaryDirectory()
        identityProvider = TestIdentityProvider(keyID: "idp-2025-06")
        jwksPath = directory.file("jwks.json")
        try TestIdentityProvider.writeJWKS([identityProvider.jwk], to: jwksPath)
        var configuration = AuthConfiguration(
            dataDirectory: directory.file("data"), jwksPath: jwksPath, jwksIssuer: Self.identityProviderIssuer)
        configure(&configuration)
        verifier = try await TokenVerifier(configuration: configuration, logger: Self.quietLogger)
        devKey = try DevSigningKey.loadOrCreate(dataDirectory: configuration.dataDirectory)
    }

    /// Claims that pass every rule for a token from `issuer`; `changes` replaces (or with `nil`, removes) some.
    static func claims(issuer: String = "earpiece", _ changes: [String: Any?] = [:]) -> [String: Any] {
        var claims: [String: Any] = [
            "iss": issuer, "aud": "earpiece-gateway", "sub": "user-42", "org": "acme", "env": "prod",
            "roles": ["rep", "admin"], "iat": now.timeIntervalSince1970, "exp": now.timeIntervalSince1970 + 3600,
        ]
        for (name, value) in changes {
            claims[name] = value
        }
        return claims
    }

    var secretBytes: [UInt8] { devKey.secret.withUnsafeBytes { Array($0) } }

    func devToken(_ changes: [String: Any?] = [:], header: [String: Any]? = nil) -> String {
        TokenCrafting.hs256(
            header: header ?? ["alg": "HS256", "typ": "JWT", "kid": devKey.keyID],
            payload: Self.claims(changes), secret: secretBytes)
    }

    func identityProviderToken(_ changes: [String: Any?] = [:], header: [String: Any]? = nil) -> String {
        TokenCrafting.es256(
            header: header ?? ["alg": "ES256", "typ": "JWT", "kid": identityProvider.keyID],
            payload: Self.claims(issuer: Self.identityProviderIssuer, changes), key: identityProvider.privateKey)
    }

    func verify(_ token: String?) async throws(AuthError) -> Principal {
        try await verifier.verify(token, at: Self.now)
    }

    /// The error that verifying `token` fails with, or `nil` if it was accepted.
    func refusal(_ token: String?) async -> AuthError? {
        do {
            _ = try await verify(token)
            return nil
        } catch {
            return error
        }
    }
}

extension AuthError {
    /// The case's name without its values, for tests that care about the kind of refusal only.
    var kind: String {
        switch self {
        case .missingToken: "missingToken"
        case .malformedToken: "malformedToken"
        case .expired: "expired"
        case .notYetValid: "notYetValid"
        case .wrongAudience: "wrongAudience"
        case .wrongIssuer: "wrongIssuer"
        case .missingKeyID: "missingKeyID"
        case .unknownKey: "unknownKey"
        case .unsupportedAlgorithm: "unsupportedAlgorithm"
        case .algorithmMismatch: "algorithmMismatch"
        case .badSignature: "badSignature"
        case .missingClaim: "missingClaim"
        case .invalidClaim: "invalidClaim"
        case .keyFile: "keyFile"
        case .configuration: "configuration"
        }
    }
}
