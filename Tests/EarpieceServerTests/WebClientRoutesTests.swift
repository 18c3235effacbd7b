import EarpieceServer
import Foundation
import Testing

/// `/`, `/admin` and `/web/<name>`: the web client's files, by plain name only.
@Suite struct WebClientRoutesTests {
    @Test func theBuiltInPagesAreServedWithoutATokenAndWithAStrictPolicy() async throws {
        try await Harness.withGateway { gateway in
            let page = try await REST.get(gateway, "/", token: nil)
            #expect(page.status == 200)
            #expect(page.headers["content-type"] == "text/html; charset=utf-8")
            #expect(page.text.contains("/web/rep-page.js"))
            let policy = try #require(page.headers["content-security-policy"])
            #expect(policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'"))
            #expect(page.headers["x-content-type-options"] == "nosniff")
            #expect(try await REST.get(gateway, "/admin", token: nil).text.contains("/web/admin-page.js"))
            let script = try await REST.get(gateway, "/web/rep-page.js", token: nil)
            #expect(script.status == 200)
            #expect(script.headers["content-type"] == "text/javascript; charset=utf-8")
        }
    }

    @Test func onlyPlainNamesWithAKnownExtensionAreServed() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("earpiece-web-\(UUID().uuidString)")
        let outside = root.deletingLastPathComponent().appendingPathComponent("earpiece-secret-\(UUID().uuidString).js")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer {
            try? FileManager.default.removeItem(at: root)
            try? FileManager.default.removeItem(at: outside)
        }
        try Data("<!doctype html><p>edited</p>".utf8).write(to: root.appendingPathComponent("index.html"))
        try Data("secret".utf8).write(to: root.appendingPathComponent(".hidden.js"))
        try Data("binary".utf8).write(to: root.appendingPathComponent("tool.exe"))
        try Data("outside".utf8).write(to: outside)
        try FileManager.default.createSymbolicLink(
            at: root.appendingPathComponent("link.js"), withDestinationURL: outside)
        try await Harness.withGateway(configure: { $0.webRoot = root.path }) { gateway in
            // web_root is read on each request: an edit shows without a restart.
            #expect(try await REST.get(gateway, "/", token: nil).text.contains("edited"))
            for path in ["/web/.hidden.js", "/web/tool.exe", "/web/link.js", "/web/..%2F\(outside.lastPathComponent)",
                         "/web/index.html.js", "/web/missing.js"] {
                let reply = try await REST.get(gateway, path, token: nil)
                #expect(reply.status == 404, "\(path) answered \(reply.status)")
                #expect(!reply.text.contains("secret") && !reply.text.contains("outside"), "\(path): \(reply.text)")
            }
            #expect(try await REST.get(gateway, "/web/missing.js", token: nil).refusal?.error == "not_found")
        }
    }

    @Test func aWebRootThatIsNoDirectoryIsA503WithTheReason() async throws {
        try await Harness.withGateway(configure: { $0.webRoot = "/nonexistent/earpiece-web" }) { gateway in
            let reply = try await REST.get(gateway, "/", token: nil)
            #expect(reply.status == 503)
            #expect(reply.refusal?.error == "web_client_missing")
            #expect(reply.refusal?.reason.contains("web_root") == true)
        }
    }
}
