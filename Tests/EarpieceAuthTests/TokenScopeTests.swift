import Foundation
import Testing

@testable import EarpieceAuth

@Suite("Scopes in tokens")
struct TokenScopeTests {
    static let typeReason = "must be a string of space-separated scope names or an array of strings"
    static let nameReason = "each scope must be 1–64 printable ASCII characters other than space, \" and \\"

    @Test func aSpaceDelimitedScopeClaimGrantsTheScopesEarpieceKnowsAndDropsTheRest() async throws {
        let fixture = try await AuthFixture()
        let principal = try await fixture.verify(fixture.devToken(["scope": "transcript:read other:thing"]))
        #expect(principal.scopes == [.transcriptRead])
        #expect(principal.has(.transcriptRead))
    }

    @Test func aTokenWithoutAScopeClaimGrantsNoScope() async throws {
        let fixture = try await AuthFixture()
        let principal = try await fixture.verify(fixture.devToken())
        #expect(principal.scopes.isEmpty)
        #expect(!principal.has(.transcriptRead))
        #expect(principal.has(.rep))
    }

    @Test(
        "scopes may come as a string or an array, in scope or in scp",
        arguments: [
            ("scope", ["transcript:read", "openid"] as any Sendable),
            ("scp", ["transcript:read"]),
            ("scp", "openid transcript:read"),
            ("scope", "  transcript:read   profile "),
        ] as [(String, any Sendable)])
    func scopeForms(claim: String, value: any Sendable) async throws {
        let fixture = try await AuthFixture()
        let principal = try await fixture.verify(fixture.identityProviderToken([claim: value]))
        #expect(principal.scopes == [.transcriptRead])
    }

    @Test func scopeAndScpTogetherGrantWhatEitherNames() async throws {
        let fixture = try await AuthFixture()
        let principal = try await fixture.verify(fixture.devToken(["scope": "openid", "scp": ["transcript:read"]]))
        #expect(principal.scopes == [.transcriptRead])
    }

    @Test(
        "scope names are compared exactly, so near misses grant nothing",
        arguments: ["Transcript:Read", "transcript:write", "transcript", "transcripts:read", "", "openid profile"])
    func nearMisses(scope: String) async throws {
        let fixture = try await AuthFixture()
        let principal = try await fixture.verify(fixture.devToken(["scope": scope]))
        #expect(principal.scopes.isEmpty)
    }

    @Test(
        "a scope claim of the wrong JSON type is refused, naming the claim",
        arguments: [
            ("scope", 42 as any Sendable), ("scope", true), ("scope", ["transcript:read", 1] as [any Sendable]),
            ("scope", ["transcript:read": true]), ("scp", 7), ("scp", NSNull()),
        ] as [(String, any Sendable)])
    func wrongType(claim: String, value: any Sendable) async throws {
        let fixture = try await AuthFixture()
        #expect(
            await fixture.refusal(fixture.devToken([claim: value])) == .invalidClaim(claim, reason: Self.typeReason))
    }

    @Test(
        "a scope name outside the RFC 6749 grammar is refused, even one Earpiece would have ignored",
        arguments: [
            "transcript:read \"quoted\"", "transcript:read back\\slash", "transcript:read\ttab", "transcript:réad",
            "transcript:read line\nbreak", "transcript:read " + String(repeating: "x", count: 65),
        ])
    func invalidNames(scope: String) async throws {
        let fixture = try await AuthFixture()
        #expect(
            await fixture.refusal(fixture.devToken(["scope": scope])) == .invalidClaim("scope", reason: Self.nameReason))
    }

    @Test(
        "an array entry must be one scope name",
        arguments: [["transcript:read other:thing"], ["transcript:read", ""], ["\u{7F}"]])
    func invalidArrayEntries(scopes: [String]) async throws {
        let fixture = try await AuthFixture()
        #expect(
            await fixture.refusal(fixture.devToken(["scp": scopes])) == .invalidClaim("scp", reason: Self.nameReason))
    }

    @Test func aNameOfSixtyFourCharactersIsStillAccepted() async throws {
        let fixture = try await AuthFixture()
        let principal = try await fixture.verify(
            fixture.devToken(["scope": "transcript:read " + String(repeating: "x", count: 64)]))
        #expect(principal.scopes == [.transcriptRead])
    }

    @Test func aTokenWithMoreThanThirtyTwoScopesIsRefused() async throws {
        let fixture = try await AuthFixture()
        let names = (1...32).map { "api:\($0)" }
        _ = try await fixture.verify(fixture.devToken(["scope": names.joined(separator: " ")]))
        let stuffed = (names + ["transcript:read"]).joined(separator: " ")
        #expect(
            await fixture.refusal(fixture.devToken(["scope": stuffed]))
                == .invalidClaim("scope", reason: "more than 32 scopes"))
    }

    @Test func aMintedTokenCarriesItsScopesAsOneSpaceDelimitedString() async throws {
        let fixture = try await AuthFixture()
        let minter = TokenMinter(key: fixture.devKey, configuration: fixture.verifier.configuration)
        let token = try await minter.mint(
            userID: "u-7", org: "globex", env: .dev, roles: [.rep], scopes: [.transcriptRead], now: AuthFixture.now)
        let principal = try await fixture.verify(token)
        #expect(
            principal
                == Principal(
                    userID: "u-7", org: "globex", env: .dev, roles: [.rep], scopes: [.transcriptRead],
                    expiresAt: AuthFixture.now.addingTimeInterval(3600)))
        #expect(try Self.payload(of: token)["scope"] as? String == "transcript:read")
    }

    @Test func aTokenMintedWithoutScopesHasNoScopeClaim() async throws {
        let fixture = try await AuthFixture()
        let token = try await TokenMinter(key: fixture.devKey).mint(
            userID: "u", org: "acme", env: .prod, roles: [.admin], now: AuthFixture.now)
        #expect(try Self.payload(of: token)["scope"] == nil)
        #expect(try await fixture.verify(token).scopes.isEmpty)
    }

    static func payload(of token: String) throws -> [String: Any] {
        let bytes = try #require(Base64URL.decode(token.split(separator: ".")[1]))
        return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }
}
