import Crypto
import Foundation
import Testing

/// A real identity provider's ES256 keys, from a JWKS file the gateway re-reads while it runs.
@Suite("Identity provider keys", .serialized)
struct IdentityProviderTests {
    static let issuer = "https://idp.example.test/"

    struct Provider {
        let keyID: String
        let key = P256.Signing.PrivateKey()

        var jwk: [String: String] {
            let raw = key.publicKey.rawRepresentation
            return ["kty": "EC", "crv": "P-256", "alg": "ES256", "use": "sig", "kid": keyID,
                    "x": base64URL(raw.prefix(32)), "y": base64URL(raw.suffix(32))]
        }

        func token(roles: [String] = ["rep"]) throws -> String {
            let now = Int(Date().timeIntervalSince1970)
            let header = try JSONSerialization.data(withJSONObject: ["alg": "ES256", "typ": "JWT", "kid": keyID], options: .sortedKeys)
            let claims: [String: Any] = ["sub": "auth0|42", "org": "acme-corp", "env": "prod", "roles": roles,
                                         "iss": IdentityProviderTests.issuer, "aud": "earpiece-gateway", "iat": now, "exp": now + 600]
            let payload = try JSONSerialization.data(withJSONObject: claims, options: .sortedKeys)
            let input = base64URL(header) + "." + base64URL(payload)
            return input + "." + base64URL(try key.signature(for: Data(input.utf8)).rawRepresentation)
        }
    }

    static func base64URL(_ data: some DataProtocol) -> String {
        Data(data).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func writeJWKS(_ providers: [Provider], to path: String) throws {
        let data = try JSONSerialization.data(withJSONObject: ["keys": providers.map(\.jwk)], options: .sortedKeys)
        try data.write(to: URL(fileURLWithPath: path + ".new"))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path + ".new")
        // rename(2) swaps the file in one step, as a provider's key publisher would.
        guard rename(path + ".new", path) == 0 else { throw TestError("rename failed: \(errno)") }
    }

    static func upgrade(_ gateway: RunningGateway, _ token: String) async throws -> Int {
        try await RawHTTP.get(port: gateway.port, path: "/v1/stream", headers: [("Authorization", "Bearer \(token)")]).status
    }

    @Test func providerKeysAreTrustedAndRotateWithoutARestart() async throws {
        let old = Provider(keyID: "idp-2026-10"), new = Provider(keyID: "idp-2026-11")
        let jwks = FileManager.default.temporaryDirectory.appendingPathComponent("earpiece-jwks-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: jwks) }
        try Self.writeJWKS([old], to: jwks)
        try await Harness.withGateway(configure: {
            $0.jwksPath = jwks
            $0.jwksIssuer = Self.issuer
            $0.jwksRefreshSeconds = 1
        }) { gateway in
            #expect(try await Self.upgrade(gateway, try old.token()) == 101)
            #expect(try await Self.upgrade(gateway, try new.token()) == 401)
            #expect(try await Self.upgrade(gateway, try old.token(roles: ["auditor"])) == 403)
            // The dev key's tokens still work beside the provider's.
            #expect(try await Self.upgrade(gateway, try await gateway.token()) == 101)

            try Self.writeJWKS([new], to: jwks)
            var status = 0
            for _ in 0..<40 where status != 101 {
                try await Task.sleep(for: .milliseconds(250))
                status = try await Self.upgrade(gateway, try new.token())
            }
            #expect(status == 101, "the rotated key was not picked up")
            #expect(try await Self.upgrade(gateway, try old.token()) == 401)
        }
    }
}
