import Crypto
import Foundation
import Testing

@testable import EarpieceAuth

@Suite("Tokens that are refused")
struct TokenRefusalTests {
    @Test func noTokenAtAllIsAMissingToken() async throws {
        let fixture = try await AuthFixture()
        #expect(await fixture.refusal(nil) == .missingToken)
        #expect(await fixture.refusal("") == .missingToken)
    }

    @Test(
        "tokens that are not three base64url segments with a JSON header are malformed",
        arguments: [
            "garbage",
            "eyJhbGciOiJIUzI1NiJ9.e30",  // two segments
            "eyJhbGciOiJIUzI1NiJ9.e30.c2ln.c2ln",  // four segments
            "eyJhbGciOiJIUzI1NiJ9.e30=.c2ln",  // padding
            "eyJhbGc!OiJIUzI1NiJ9.e30.c2ln",  // a character outside base64url
            "eyJhbGciOiJIUzI1NiJ9.e30.c2lnA",  // a length no bytes encode to
            ".e30.c2ln",  // empty header
            "aGVsbG8.e30.c2ln",  // header "hello" is not JSON
            "W10.e30.c2ln",  // header [] is not an object
            "eyJhbGciOjI1Nn0.e30.c2ln",  // alg is a number
            "eyJ0eXAiOiJKV1QifQ.e30.c2ln",  // no alg
            "Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2ln",  // the scheme left on
        ])
    func malformed(token: String) async throws {
        let fixture = try await AuthFixture()
        let error = await fixture.refusal(token)
        #expect(error?.kind == "malformedToken")
    }

    @Test func aTokenLongerThanTheLimitIsRefusedBeforeParsing() async throws {
        let fixture = try await AuthFixture()
        let huge = fixture.devToken(["pad": String(repeating: "x", count: 9000)])
        #expect(await fixture.refusal(huge) == .malformedToken("longer than 8192 bytes"))
    }

    @Test func anExpiredTokenIsRefused() async throws {
        let fixture = try await AuthFixture()
        let now = AuthFixture.now.timeIntervalSince1970
        #expect(await fixture.refusal(fixture.devToken(["exp": now - 31])) == .expired)
        #expect(await fixture.refusal(fixture.identityProviderToken(["exp": now - 3600])) == .expired)
    }

    @Test func aTokenThatIsNotValidYetIsRefused() async throws {
        let fixture = try await AuthFixture()
        let now = AuthFixture.now.timeIntervalSince1970
        #expect(await fixture.refusal(fixture.devToken(["nbf": now + 31])) == .notYetValid)
    }

    @Test func aTokenIssuedInTheFutureIsRefused() async throws {
        let fixture = try await AuthFixture()
        let error = await fixture.refusal(fixture.devToken(["iat": AuthFixture.now.timeIntervalSince1970 + 300]))
        #expect(error == .invalidClaim("iat", reason: "the token claims to be issued in the future"))
    }

    @Test("a token for another audience is refused", arguments: ["another-service", ""])
    func wrongAudience(audience: String) async throws {
        let fixture = try await AuthFixture()
        #expect(
            await fixture.refusal(fixture.devToken(["aud": audience])) == .wrongAudience(expected: "earpiece-gateway"))
        #expect(
            await fixture.refusal(fixture.devToken(["aud": [audience, "other"]]))
                == .wrongAudience(expected: "earpiece-gateway"))
    }

    @Test func aTokenFromAnotherIssuerIsRefused() async throws {
        let fixture = try await AuthFixture()
        #expect(await fixture.refusal(fixture.devToken(["iss": "someone-else"])) == .wrongIssuer)
        #expect(await fixture.refusal(fixture.identityProviderToken(["iss": "earpiece"])) == .wrongIssuer)
    }

    @Test func theDevelopmentKeyCannotSpeakForTheIdentityProvider() async throws {
        let fixture = try await AuthFixture()
        #expect(await fixture.refusal(fixture.devToken(["iss": AuthFixture.identityProviderIssuer])) == .wrongIssuer)
    }

    @Test func aTokenNamingAKeyWeDoNotHoldIsAnUnknownKeyEvenIfItsSignatureWouldVerify() async throws {
        let fixture = try await AuthFixture()
        // Signed with the real development secret: jwt-kit alone would fall back to its default key and accept it.
        let token = fixture.devToken(header: ["alg": "HS256", "kid": "dev-someone-else"])
        #expect(await fixture.refusal(token) == .unknownKey("dev-someone-else"))
    }

    @Test func anUnknownKeyIDIsQuotedOnlyInPrintableForm() async throws {
        let fixture = try await AuthFixture()
        let token = fixture.devToken(header: [
            "alg": "HS256", "kid": "<script>\"\n" + String(repeating: "k", count: 100),
        ])
        #expect(await fixture.refusal(token) == .unknownKey("?script???" + String(repeating: "k", count: 54) + "…"))
    }

    @Test func aTokenWithoutAKeyIDIsRefusedEvenWhenOneKeyCouldBeMeant() async throws {
        let fixture = try await AuthFixture { $0.jwksPath = nil }
        #expect(await fixture.verifier.trustedKeyIDs() == [fixture.devKey.keyID])
        let token = fixture.devToken(header: ["alg": "HS256", "typ": "JWT"])
        #expect(await fixture.refusal(token) == .missingKeyID)
    }

    @Test("an unsecured token (alg none) is refused, whatever its case and kid", arguments: ["none", "None", "NONE"])
    func algNone(alg: String) async throws {
        let fixture = try await AuthFixture()
        let payload = AuthFixture.claims()
        let bare = TokenCrafting.unsigned(header: ["alg": alg, "typ": "JWT"], payload: payload)
        let withKey = TokenCrafting.unsigned(
            header: ["alg": alg, "typ": "JWT", "kid": fixture.devKey.keyID], payload: payload)
        #expect(await fixture.refusal(bare) == .unsupportedAlgorithm(alg))
        #expect(await fixture.refusal(withKey) == .unsupportedAlgorithm(alg))
    }

    @Test(
        "algorithms other than HS256 and ES256 are refused",
        arguments: ["HS384", "HS512", "RS256", "PS256", "ES384", "EdDSA", "hs256", ""])
    func otherAlgorithms(alg: String) async throws {
        let fixture = try await AuthFixture()
        let token = fixture.devToken(header: ["alg": alg, "kid": fixture.devKey.keyID])
        #expect(await fixture.refusal(token) == .unsupportedAlgorithm(alg))
    }

    @Test(
        "an HS256 token keyed with the identity provider's public key is refused", arguments: PublicKeyEncoding.allCases
    )
    func keyConfusion(encoding: PublicKeyEncoding) async throws {
        let fixture = try await AuthFixture()
        let publicKey = fixture.identityProvider.privateKey.publicKey
        let forged = TokenCrafting.hs256(
            header: ["alg": "HS256", "typ": "JWT", "kid": fixture.identityProvider.keyID],
            payload: AuthFixture.claims(issuer: AuthFixture.identityProviderIssuer, ["roles": ["admin"]]),
            secret: encoding.bytes(of: publicKey))
        #expect(await fixture.refusal(forged) == .algorithmMismatch(tokenAlgorithm: "HS256", keyAlgorithm: "ES256"))
    }

    @Test func anES256TokenPresentedUnderTheDevelopmentKeyIDIsRefused() async throws {
        let fixture = try await AuthFixture()
        let token = fixture.identityProviderToken(header: ["alg": "ES256", "kid": fixture.devKey.keyID])
        #expect(await fixture.refusal(token) == .algorithmMismatch(tokenAlgorithm: "ES256", keyAlgorithm: "HS256"))
    }

    @Test func aTamperedPayloadBreaksTheSignature() async throws {
        let fixture = try await AuthFixture()
        let tokens = [
            (fixture.devToken(["roles": ["rep"]]), "earpiece"),
            (fixture.identityProviderToken(["roles": ["rep"]]), AuthFixture.identityProviderIssuer),
        ]
        for (token, issuer) in tokens {
            var segments = token.split(separator: ".").map(String.init)
            segments[1] = TokenCrafting.segment(AuthFixture.claims(issuer: issuer, ["roles": ["admin"]]))
            #expect(await fixture.refusal(segments.joined(separator: ".")) == .badSignature)
        }
    }

    @Test func signaturesThatAreWrongOrMissingAreRefused() async throws {
        let fixture = try await AuthFixture()
        let wrongSecret = TokenCrafting.hs256(
            header: ["alg": "HS256", "kid": fixture.devKey.keyID], payload: AuthFixture.claims(),
            secret: SymmetricKey(size: .bits256))
        #expect(await fixture.refusal(wrongSecret) == .badSignature)

        let otherSigner = TokenCrafting.es256(
            header: ["alg": "ES256", "kid": fixture.identityProvider.keyID],
            payload: AuthFixture.claims(issuer: AuthFixture.identityProviderIssuer), key: P256.Signing.PrivateKey())
        #expect(await fixture.refusal(otherSigner) == .badSignature)

        let valid = fixture.identityProviderToken()
        let truncated = String(valid.dropLast(8))
        #expect(await fixture.refusal(truncated) == .badSignature)
        let stripped = String(valid[...(try #require(valid.lastIndex(of: ".")))])
        #expect(await fixture.refusal(stripped) == .badSignature)
    }

    @Test("a token missing a required claim names it", arguments: ["iss", "aud", "exp", "sub", "org", "env", "roles"])
    func missingClaim(name: String) async throws {
        let fixture = try await AuthFixture()
        #expect(await fixture.refusal(fixture.devToken([name: nil])) == .missingClaim(name))
        #expect(await fixture.refusal(fixture.identityProviderToken([name: nil])) == .missingClaim(name))
    }

    @Test(
        "a claim of the wrong JSON type is invalid",
        arguments: [
            ("exp", "tomorrow" as any Sendable), ("roles", "admin"), ("sub", 42), ("aud", 7), ("org", ["acme"]),
            ("nbf", "now"), ("env", 1.5),
        ] as [(String, any Sendable)])
    func wrongType(name: String, value: any Sendable) async throws {
        let fixture = try await AuthFixture()
        #expect(await fixture.refusal(fixture.devToken([name: value]))?.kind == "invalidClaim")
        if case .invalidClaim(let claim, _) = await fixture.refusal(fixture.devToken([name: value])) {
            #expect(claim == name)
        }
    }

    @Test(
        "roles must be known and non-empty",
        arguments: [
            ["rep", "superuser"], ["Admin"], [], ["rep", "admin", "auditor", "rep", "rep", "rep", "rep", "rep", "rep"],
        ])
    func badRoles(roles: [String]) async throws {
        let fixture = try await AuthFixture()
        let error = await fixture.refusal(fixture.devToken(["roles": roles]))
        #expect(error?.kind == "invalidClaim")
        #expect(error.map { "\($0)" }?.contains("\"roles\"") == true)
    }

    @Test("env must be dev, staging or prod", arguments: ["production", "PROD", "", "test"])
    func badEnvironment(env: String) async throws {
        let fixture = try await AuthFixture()
        #expect(
            await fixture.refusal(fixture.devToken(["env": env]))
                == .invalidClaim("env", reason: "must be one of dev, staging, prod"))
    }

    @Test(
        "org and sub must be short, plain identifiers",
        arguments: [
            ("org", "../etc"), ("org", ""), ("org", ".hidden"), ("org", "acme/east"),
            ("org", String(repeating: "a", count: 65)),
            ("sub", "user 42"), ("sub", ""), ("sub", String(repeating: "u", count: 129)), ("sub", "ユーザー"),
        ])
    func badIdentifiers(name: String, value: String) async throws {
        let fixture = try await AuthFixture()
        let error = await fixture.refusal(fixture.devToken([name: value]))
        #expect(error?.kind == "invalidClaim")
        #expect(error.map { "\($0)" }?.contains("\"\(name)\"") == true)
    }

    @Test func criticalHeaderExtensionsAreRefused() async throws {
        let fixture = try await AuthFixture()
        let token = fixture.devToken(header: [
            "alg": "HS256", "kid": fixture.devKey.keyID, "crit": ["b64"], "b64": false,
        ])
        #expect(await fixture.refusal(token)?.kind == "malformedToken")
    }

    @Test func aSignedPayloadThatIsNotAJSONObjectIsMalformed() async throws {
        let fixture = try await AuthFixture()
        let input =
            TokenCrafting.segment(["alg": "HS256", "kid": fixture.devKey.keyID]) + "."
            + Base64URL.encode(Array("[1,2]".utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: fixture.devKey.secret)
        let token = input + "." + Base64URL.encode(Array(mac))
        #expect(await fixture.refusal(token) == .malformedToken("the payload is not a JSON object"))
    }

    @Test func noRefusalRepeatsTheTokenOrTheSecret() async throws {
        let fixture = try await AuthFixture()
        let now = AuthFixture.now.timeIntervalSince1970
        let tokens = [
            fixture.devToken(["exp": now - 100]), fixture.devToken(["aud": "x"]), fixture.devToken(["roles": ["root"]]),
            fixture.devToken(["sub": "a b"]), fixture.devToken(header: ["alg": "HS256", "kid": "nope"]),
            fixture.devToken(header: ["alg": "RS256", "kid": fixture.devKey.keyID]), "garbage.garbage.garbage",
            TokenCrafting.hs256(
                header: ["alg": "HS256", "kid": fixture.devKey.keyID], payload: AuthFixture.claims(),
                secret: [UInt8](repeating: 1, count: 32)),
        ]
        let secret = Base64URL.encode(fixture.secretBytes)
        for token in tokens {
            let description = try #require(await fixture.refusal(token)).description
            for segment in token.split(separator: ".") where segment.count > 8 {
                #expect(!description.contains(segment))
            }
            #expect(!description.contains(secret))
        }
    }
}

/// The ways an attacker might turn an ES256 public key into an HMAC secret.
enum PublicKeyEncoding: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case x963, raw, der, pem, jwkJSON

    var testDescription: String { rawValue }

    func bytes(of key: P256.Signing.PublicKey) -> [UInt8] {
        switch self {
        case .x963: return Array(key.x963Representation)
        case .raw: return Array(key.rawRepresentation)
        case .der: return Array(key.derRepresentation)
        case .pem: return Array(key.pemRepresentation.utf8)
        case .jwkJSON:
            let raw = key.rawRepresentation
            return Array(
                #"{"kty":"EC","crv":"P-256","x":"\#(Base64URL.encode(raw.prefix(32)))","y":"\#(Base64URL.encode(raw.suffix(32)))"}"#
                    .utf8)
        }
    }
}
