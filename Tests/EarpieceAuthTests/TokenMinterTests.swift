import Foundation
import Testing

@testable import EarpieceAuth

@Suite("Minting development tokens")
struct TokenMinterTests {
    @Test func theMinterRefusesWhatTheVerifierWouldRefuse() async throws {
        let directory = try TemporaryDirectory()
        let minter = TokenMinter(key: try DevSigningKey.loadOrCreate(dataDirectory: directory.path))
        await #expect(throws: AuthError.invalidClaim("roles", reason: "must name at least one role")) {
            try await minter.mint(userID: "u", org: "acme", env: .dev, roles: [])
        }
        await #expect(throws: AuthError.self) {
            try await minter.mint(userID: "u", org: "../acme", env: .dev, roles: [.rep])
        }
        await #expect(throws: AuthError.self) {
            try await minter.mint(userID: "a user", org: "acme", env: .dev, roles: [.rep])
        }
        await #expect(throws: AuthError.self) {
            try await minter.mint(userID: "u", org: "acme", env: .dev, roles: [.rep], ttl: .zero)
        }
        await #expect(throws: AuthError.self) {
            try await minter.mint(userID: "u", org: "acme", env: .dev, roles: [.rep], ttl: .seconds(367 * 86_400))
        }
    }

    @Test func aMintedTokenExpiresAfterItsLifetime() async throws {
        let directory = try TemporaryDirectory()
        let verifier = try await TokenVerifier(
            configuration: AuthConfiguration(dataDirectory: directory.path), logger: AuthFixture.quietLogger)
        let minter = TokenMinter(key: try DevSigningKey.loadOrCreate(dataDirectory: directory.path))
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let token = try await minter.mint(
            userID: "u", org: "acme", env: .staging, roles: [.auditor], ttl: try TokenLifetime(parsing: "15m").duration,
            now: now)
        _ = try await verifier.verify(token, at: now.addingTimeInterval(900 + 29))
        await #expect(throws: AuthError.expired) {
            try await verifier.verify(token, at: now.addingTimeInterval(900 + 30))
        }
    }
}
