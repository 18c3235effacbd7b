import Foundation
import Testing

@testable import EarpieceAuth

@Suite("Tokens that are accepted")
struct TokenAcceptanceTests {
    @Test func aDevelopmentKeyTokenYieldsThePrincipalItNames() async throws {
        let fixture = try await AuthFixture()
        let principal = try await fixture.verify(fixture.devToken())
        #expect(
            principal
                == Principal(
                    userID: "user-42", org: "acme", env: .prod, roles: [.rep, .admin],
                    expiresAt: AuthFixture.now.addingTimeInterval(3600)))
        #expect(principal.has(.admin))
        #expect(!principal.has(.auditor))
    }

    @Test func anIdentityProviderTokenFromTheJWKSYieldsThePrincipalItNames() async throws {
        let fixture = try await AuthFixture()
        let token = fixture.identityProviderToken([
            "sub": "auth0|5f7c8ec7c33c6c004bbafe82", "roles": ["auditor"], "env": "staging",
        ])
        let principal = try await fixture.verify(token)
        #expect(principal.userID == "auth0|5f7c8ec7c33c6c004bbafe82")
        #expect(principal.org == "acme")
        #expect(principal.env == .staging)
        #expect(principal.roles == [.auditor])
    }

    @Test func aMintedTokenIsAcceptedAndCarriesWhatWasAskedFor() async throws {
        let fixture = try await AuthFixture()
        let minter = TokenMinter(key: fixture.devKey, configuration: fixture.verifier.configuration)
        let token = try await minter.mint(
            userID: "u-7", org: "globex", env: .dev, roles: [.rep], ttl: .seconds(900),
            now: AuthFixture.now.addingTimeInterval(0.75))
        let principal = try await fixture.verify(token)
        #expect(
            principal
                == Principal(
                    userID: "u-7", org: "globex", env: .dev, roles: [.rep],
                    expiresAt: AuthFixture.now.addingTimeInterval(900)))
    }

    @Test func aMintedTokenNamesTheDevelopmentKeyInItsHeader() async throws {
        let fixture = try await AuthFixture()
        let token = try await TokenMinter(key: fixture.devKey).mint(userID: "u", org: "o", env: .prod, roles: [.admin])
        let header = try #require(Base64URL.decode(token.split(separator: ".")[0]))
        let fields = try #require(try JSONSerialization.jsonObject(with: Data(header)) as? [String: String])
        #expect(fields == ["alg": "HS256", "typ": "JWT", "kid": fixture.devKey.keyID])
    }

    @Test(
        "the audience may be a string or an array that contains ours",
        arguments: [
            ["earpiece-gateway"], ["https://api.example.test", "earpiece-gateway"],
        ])
    func audienceForms(audience: [String]) async throws {
        let fixture = try await AuthFixture()
        let value: Any = audience.count == 1 ? audience[0] : audience
        _ = try await fixture.verify(fixture.devToken(["aud": value]))
    }

    @Test func numericDatesMayHaveFractionsOfASecond() async throws {
        let fixture = try await AuthFixture()
        let principal = try await fixture.verify(
            fixture.devToken(["exp": AuthFixture.now.timeIntervalSince1970 + 60.5]))
        #expect(principal.expiresAt == AuthFixture.now.addingTimeInterval(60.5))
    }

    @Test func expiryAndNotBeforeAreForgivenWithinTheClockSkew() async throws {
        let fixture = try await AuthFixture()
        let now = AuthFixture.now.timeIntervalSince1970
        _ = try await fixture.verify(fixture.devToken(["exp": now - 29]))
        _ = try await fixture.verify(fixture.devToken(["nbf": now + 29]))
        _ = try await fixture.verify(fixture.devToken(["iat": now + 29]))
    }

    @Test func theSkewIsConfigurable() async throws {
        let fixture = try await AuthFixture { $0.clockSkew = .zero }
        let now = AuthFixture.now.timeIntervalSince1970
        #expect(await fixture.refusal(fixture.devToken(["exp": now])) == .expired)
        #expect(await fixture.refusal(fixture.devToken(["nbf": now + 1])) == .notYetValid)
        _ = try await fixture.verify(fixture.devToken(["exp": now + 1, "nbf": now]))
    }

    @Test func duplicateRolesCollapseIntoOne() async throws {
        let fixture = try await AuthFixture()
        let principal = try await fixture.verify(fixture.devToken(["roles": ["rep", "rep"]]))
        #expect(principal.roles == [.rep])
    }

    @Test func issuerAndAudienceAreConfigurable() async throws {
        let fixture = try await AuthFixture {
            $0.issuer = "https://gateway.example.test"
            $0.audience = "calls"
        }
        let token = TokenCrafting.hs256(
            header: ["alg": "HS256", "kid": fixture.devKey.keyID],
            payload: AuthFixture.claims(issuer: "https://gateway.example.test", ["aud": "calls"]),
            secret: fixture.secretBytes)
        _ = try await fixture.verify(token)
        #expect(await fixture.refusal(fixture.devToken()) == .wrongIssuer)
    }
}
