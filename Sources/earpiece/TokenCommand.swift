import ArgumentParser
import EarpieceAuth
import Foundation

/// `earpiece token`: mints a dev token with the data directory's signing key.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Mint a dev token signed with the data directory's HS256 key (made on first use)."
    )

    @Option(help: "Organisation id.")
    var org: String

    @Option(help: "Environment: dev, staging or prod.")
    var env: String

    @Option(help: "Opaque user id (the token's sub).")
    var user: String

    @Option(name: .customLong("role"), help: "A role: rep, admin or auditor; repeat for several.")
    var roles: [String]

    @Option(
        name: .customLong("scope"),
        help: "A scope to grant: \(Scope.allCases.map(\.rawValue).joined(separator: ", ")); repeat for several.")
    var scopes: [String] = []

    @Option(help: "Lifetime: 90s, 15m, 1h, 2d.")
    var ttl = "1h"

    @Option(name: .customLong("data-dir"), help: "The gateway's data directory.")
    var dataDirectory = "./data"

    @Option(help: "Issuer (must match the gateway's).")
    var issuer = "earpiece"

    @Option(help: "Audience (must match the gateway's).")
    var audience = "earpiece-gateway"

    @Flag(help: "Print a sign-in link for the web client instead of the bare token (the admin page for a token without the rep role).")
    var url = false

    @Option(name: .customLong("base-url"), help: "The gateway's address, for --url.")
    var baseURL = "http://127.0.0.1:8080"

    func run() async throws {
        let token = try await DevTokens.mint(
            dataDirectory: dataDirectory, issuer: issuer, audience: audience,
            org: org, env: env, user: user, roles: roles, scopes: scopes, ttl: ttl)
        print(url ? try DevTokens.signInLink(base: baseURL, token: token, admin: !roles.contains("rep")) : token)
    }
}
