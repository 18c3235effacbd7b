import EarpieceAuth
import EarpieceServer
import Foundation

/// Dev tokens signed with a data directory's generated HS256 key, for `earpiece token` and `serve --print-dev-token`.
enum DevTokens {
    static func mint(
        dataDirectory: String, issuer: String, audience: String,
        org: String, env: String, user: String, roles: [String], scopes: [String] = [], ttl: String
    ) async throws -> String {
        guard let environment = TenantEnvironment(rawValue: env) else {
            throw DevTokenProblem(description: "--env must be one of \(TenantEnvironment.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var parsedRoles = Set<Role>()
        for name in roles {
            guard let role = Role(rawValue: name) else {
                throw DevTokenProblem(description: "unknown role \"\(name)\"; roles are \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            parsedRoles.insert(role)
        }
        guard !parsedRoles.isEmpty else { throw DevTokenProblem(description: "give at least one --role") }
        var parsedScopes = Set<Scope>()
        for name in scopes {
            // The verifier drops scopes it doesn't know; minting one would only hide a typo.
            guard let scope = Scope(rawValue: name) else {
                throw DevTokenProblem(description: "unknown scope \"\(name)\"; scopes are \(Scope.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            parsedScopes.insert(scope)
        }
        let lifetime: TokenLifetime
        do { lifetime = try TokenLifetime(parsing: ttl) } catch { throw DevTokenProblem(description: "--ttl: \(error)") }
        do {
            let key = try DevSigningKey.loadOrCreate(dataDirectory: dataDirectory)
            return try await TokenMinter(key: key, issuer: issuer, audience: audience)
                .mint(
                    userID: user, org: org, env: environment, roles: parsedRoles, scopes: parsedScopes,
                    ttl: lifetime.duration)
        } catch {
            throw DevTokenProblem(description: error.description)
        }
    }
}

extension DevTokens {
    /// A link that signs the web client in: the token rides in the fragment, which browsers never send, so it
    /// stays out of request logs and `Referer` headers.
    static func signInLink(base: String, token: String, admin: Bool) throws -> String {
        guard let url = URL(string: base), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil,
              url.query == nil, url.fragment == nil
        else { throw DevTokenProblem(description: "--base-url must be an http or https address like http://127.0.0.1:8080") }
        var text = base
        while text.hasSuffix("/") { text.removeLast() }
        return text + (admin ? "/admin" : "/") + "#token=" + token
    }
}

/// The text `serve --print-dev-token` prints once the port is known (`{PORT}` stands for it).
enum DevBanner {
    static func text(settings: GatewayConfiguration) async throws -> String {
        let token = try await DevTokens.mint(
            dataDirectory: settings.dataDirectory, issuer: settings.issuer, audience: settings.audience,
            org: "dev-org", env: "dev", user: "dev-rep", roles: ["rep"], scopes: [Scope.transcriptRead.rawValue],
            ttl: "12h")
        let adminToken = try await DevTokens.mint(
            dataDirectory: settings.dataDirectory, issuer: settings.issuer, audience: settings.audience,
            org: "dev-org", env: "dev", user: "dev-admin", roles: ["admin"], ttl: "12h")
        let base = "http://\(settings.host):{PORT}"
        return """
            Dev token (rep with transcript:read in dev-org/dev, valid 12 h; mint others with `earpiece token`):
              \(token)
            Web client:  \(base)/#token=\(token)
            Admin page:  \(base)/admin#token=\(adminToken)
            Try it:  earpiece replay Fixtures/calls/monologue-call.opus   (same pipeline, no socket)
                     or connect any WebSocket client to
                     ws://\(settings.host):{PORT}/v1/stream?channels=2 with the header
                     Authorization: Bearer <token>   and send Ogg Opus, WebM or raw frames.
            """
    }
}

struct DevTokenProblem: Error, CustomStringConvertible {
    var description: String
}
