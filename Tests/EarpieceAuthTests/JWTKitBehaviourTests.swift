import Crypto
import JWTKit
import Testing

@testable import EarpieceAuth

/// What jwt-kit 5 does on its own, pinned here because TokenVerifier exists to guard against it. If one of
/// these starts failing, jwt-kit changed: read the release notes before relaxing any of our own checks.
@Suite("jwt-kit behaviours that Earpiece guards against")
struct JWTKitBehaviourTests {
    private static let secret = [UInt8](repeating: 0x42, count: 32)

    private func collection() async -> JWTKeyCollection {
        await JWTKeyCollection().add(hmac: HMACKey(from: Self.secret), digestAlgorithm: .sha256, kid: "known")
    }

    @Test func aKeyCollectionFallsBackToItsDefaultKeyForAnUnknownKid() async throws {
        let token = TokenCrafting.hs256(
            header: ["alg": "HS256", "kid": "never-heard-of-it"], payload: AuthFixture.claims(), secret: Self.secret)
        let claims = try await collection().verify(token, as: EarpieceClaims.self)
        #expect(claims.subject == "user-42")
    }

    @Test func aKeyCollectionTakesNoNoticeOfTheHeadersAlgorithmOnceAKeyIsFound() async throws {
        let token = TokenCrafting.hs256(
            header: ["alg": "HS512", "kid": "known"], payload: AuthFixture.claims(), secret: Self.secret)
        let claims = try await collection().verify(token, as: EarpieceClaims.self)
        #expect(claims.subject == "user-42")
    }

    @Test func anUnsecuredTokenFailsOnlyOnItsSignature() async throws {
        let token = TokenCrafting.unsigned(header: ["alg": "none", "kid": "known"], payload: AuthFixture.claims())
        await #expect(throws: JWTError.signatureVerificationFailed) {
            try await collection().verify(token, as: EarpieceClaims.self)
        }
    }
}
