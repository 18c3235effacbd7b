import Crypto
import Foundation
import Testing

@testable import EarpieceAuth

@Suite("Identity provider keys from a JWKS file")
struct JWKSTests {
    @Test func reloadingPicksUpANewKeyAndDropsARetiredOne() async throws {
        let fixture = try await AuthFixture()
        let next = TestIdentityProvider(keyID: "idp-2025-07")
        let tokenFromNextKey = TokenCrafting.es256(
            header: ["alg": "ES256", "kid": next.keyID],
            payload: AuthFixture.claims(issuer: AuthFixture.identityProviderIssuer), key: next.privateKey)
        #expect(await fixture.refusal(tokenFromNextKey) == .unknownKey("idp-2025-07"))

        // The provider publishes the next key beside the current one…
        try TestIdentityProvider.writeJWKS([fixture.identityProvider.jwk, next.jwk], to: fixture.jwksPath)
        let report = try await fixture.verifier.reloadJWKS()
        #expect(report.keyIDs == ["idp-2025-06", "idp-2025-07"])
        _ = try await fixture.verify(tokenFromNextKey)
        _ = try await fixture.verify(fixture.identityProviderToken())

        // …and later retires the old one.
        try TestIdentityProvider.writeJWKS([next.jwk], to: fixture.jwksPath)
        try await fixture.verifier.reloadJWKS()
        #expect(await fixture.refusal(fixture.identityProviderToken()) == .unknownKey("idp-2025-06"))
        _ = try await fixture.verify(tokenFromNextKey)
        // The development key is not part of the JWKS and stays.
        _ = try await fixture.verify(fixture.devToken())
    }

    @Test func aReloadThatFailsKeepsTheKeysInForce() async throws {
        let fixture = try await AuthFixture()
        try Data("{\"keys\": [".utf8).write(to: URL(fileURLWithPath: fixture.jwksPath))
        await #expect(throws: AuthError.self) { try await fixture.verifier.reloadJWKS() }
        _ = try await fixture.verify(fixture.identityProviderToken())
    }

    @Test func reloadingWithoutAJWKSFileIsAConfigurationError() async throws {
        let fixture = try await AuthFixture { $0.jwksPath = nil }
        await #expect(throws: AuthError.configuration("no JWKS file is configured, so there is nothing to reload")) {
            try await fixture.verifier.reloadJWKS()
        }
    }

    @Test func keysThatAreNotP256SignatureKeysAreSkippedAndReported() throws {
        let provider = TestIdentityProvider(keyID: "ec-1")
        let p384 = P384.Signing.PrivateKey().publicKey.rawRepresentation
        var wrongAlg = TestIdentityProvider(keyID: "ec-2").jwk
        wrongAlg["alg"] = "ES384"
        var encryption = TestIdentityProvider(keyID: "ec-3").jwk
        encryption["use"] = "enc"
        var noKeyID = TestIdentityProvider(keyID: "x").jwk
        noKeyID["kid"] = nil
        let keys: [[String: Any]] = [
            ["kty": "RSA", "kid": "rsa-1", "alg": "RS256", "use": "sig", "n": "sXch", "e": "AQAB"],
            [
                "kty": "EC", "crv": "P-384", "kid": "ec-384", "x": Base64URL.encode(p384.prefix(48)),
                "y": Base64URL.encode(p384.suffix(48)),
            ],
            ["kty": "oct", "kid": "hmac", "k": "c2VjcmV0"],
            wrongAlg, encryption, noKeyID, provider.jwk,
        ]
        let document = try JWKSDocument(parsing: Self.json(keys), path: "jwks.json")
        #expect(document.keys.map(\.keyID) == ["ec-1"])
        #expect(document.skipped.map(\.keyID) == ["rsa-1", "ec-384", "hmac", "ec-2", "ec-3", nil])
        #expect(document.skipped[0].reason == "kty RSA is not EC")
        #expect(document.skipped[1].reason == "crv P-384 is not P-256")
        #expect(document.skipped[3].reason == "alg ES384 is not ES256")
        #expect(document.skipped[4].reason == "use enc is not sig")
    }

    @Test func aKeyWithoutAlgOrUseIsTakenAsES256() throws {
        var jwk = TestIdentityProvider(keyID: "bare").jwk
        jwk["alg"] = nil
        jwk["use"] = nil
        #expect(try JWKSDocument(parsing: Self.json([jwk]), path: "jwks.json").keys.map(\.keyID) == ["bare"])
    }

    @Test func aFileWithAPrivateKeyIsRefused() throws {
        let provider = TestIdentityProvider(keyID: "leaky")
        var jwk = provider.jwk
        jwk["d"] = Base64URL.encode(provider.privateKey.rawRepresentation)
        #expect(
            throws: AuthError.keyFile(
                "jwks.json: key \"leaky\" holds private key material (d); publish only public keys")
        ) {
            try JWKSDocument(parsing: Self.json([jwk]), path: "jwks.json")
        }
    }

    @Test func twoKeysWithOneKeyIDAreRefused() throws {
        let keys = [TestIdentityProvider(keyID: "same").jwk, TestIdentityProvider(keyID: "same").jwk]
        #expect(throws: AuthError.keyFile("jwks.json: two keys share the kid \"same\"")) {
            try JWKSDocument(parsing: Self.json(keys), path: "jwks.json")
        }
    }

    @Test func aPointOffTheCurveIsRefused() throws {
        var jwk = TestIdentityProvider(keyID: "bent").jwk
        jwk["y"] = Base64URL.encode([UInt8](repeating: 7, count: 32))
        #expect(throws: AuthError.keyFile("jwks.json: key \"bent\" is not a point on the P-256 curve")) {
            try JWKSDocument(parsing: Self.json([jwk]), path: "jwks.json")
        }
    }

    @Test func aFileWithNoUsableKeyIsRefused() throws {
        let keys: [[String: Any]] = [["kty": "RSA", "kid": "rsa-1", "n": "sXch", "e": "AQAB"]]
        #expect(
            throws: AuthError.keyFile(
                "jwks.json has no EC P-256 key for ES256 signatures (skipped: key \"rsa-1\": kty RSA is not EC)")
        ) {
            try JWKSDocument(parsing: Self.json(keys), path: "jwks.json")
        }
        #expect(throws: AuthError.self) { try JWKSDocument(parsing: Self.json([]), path: "jwks.json") }
        #expect(throws: AuthError.self) { try JWKSDocument(parsing: Array("[]".utf8), path: "jwks.json") }
    }

    @Test func aJWKSKeyMayNotTakeTheDevelopmentKeysID() async throws {
        let fixture = try await AuthFixture()
        let impostor = TestIdentityProvider(keyID: fixture.devKey.keyID)
        try TestIdentityProvider.writeJWKS([impostor.jwk], to: fixture.jwksPath)
        await #expect(throws: AuthError.self) { try await fixture.verifier.reloadJWKS() }
        _ = try await fixture.verify(fixture.devToken())
    }

    @Test func aJWKSFileThatOthersMayWriteIsRefused() async throws {
        let fixture = try await AuthFixture()
        try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: fixture.jwksPath)
        await #expect(
            throws: AuthError.keyFile(
                "\(fixture.jwksPath) is writable by group or others (mode 666); run `chmod go-w \(fixture.jwksPath)`")
        ) { try await fixture.verifier.reloadJWKS() }
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: fixture.jwksPath)
        try await fixture.verifier.reloadJWKS()
    }

    @Test func aMissingJWKSFileStopsTheVerifierFromStarting() async throws {
        let directory = try TemporaryDirectory()
        await #expect(throws: AuthError.self) {
            try await TokenVerifier(
                configuration: AuthConfiguration(
                    dataDirectory: directory.path, jwksPath: directory.file("absent.json")),
                logger: AuthFixture.quietLogger)
        }
    }

    @Test func aConfigurationWithNoKeySourceIsRefused() async throws {
        let directory = try TemporaryDirectory()
        await #expect(throws: AuthError.configuration("no key source: accept the development key or give a JWKS file"))
        {
            try await TokenVerifier(
                configuration: AuthConfiguration(dataDirectory: directory.path, acceptsDevelopmentKey: false),
                logger: AuthFixture.quietLogger)
        }
    }

    private static func json(_ keys: [[String: Any]]) throws -> [UInt8] {
        Array(try JSONSerialization.data(withJSONObject: ["keys": keys]))
    }
}
