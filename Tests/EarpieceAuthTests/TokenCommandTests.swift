import Foundation
import Testing

@testable import EarpieceAuth

/// `earpiece token` run as a separate process, as a developer runs it.
@Suite("The token command")
struct TokenCommandTests {
    @Test func aRepeatedScopeOptionMintsATokenWithThoseScopes() async throws {
        let directory = try TemporaryDirectory()
        let dataDirectory = directory.file("data")
        let result = try Self.run([
            "token", "--org", "acme", "--env", "dev", "--user", "u-1", "--role", "rep",
            "--scope", "transcript:read", "--scope", "transcript:read", "--data-dir", dataDirectory,
        ])
        #expect(result.status == 0, "\(result.errors)")
        let verifier = try await TokenVerifier(
            configuration: AuthConfiguration(dataDirectory: dataDirectory), logger: AuthFixture.quietLogger)
        let principal = try await verifier.verify(result.output.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(principal.scopes == [.transcriptRead])
        #expect(principal.roles == [.rep])
    }

    @Test func withURLItPrintsASignInLinkWithTheTokenInTheFragment() async throws {
        let directory = try TemporaryDirectory()
        let dataDirectory = directory.file("data")
        let rep = try Self.run([
            "token", "--org", "acme", "--env", "dev", "--user", "u-1", "--role", "rep", "--data-dir", dataDirectory,
            "--url", "--base-url", "http://127.0.0.1:9090/",
        ])
        #expect(rep.status == 0, "\(rep.errors)")
        let link = rep.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(link.hasPrefix("http://127.0.0.1:9090/#token="), "\(link)")
        let verifier = try await TokenVerifier(
            configuration: AuthConfiguration(dataDirectory: dataDirectory), logger: AuthFixture.quietLogger)
        let principal = try await verifier.verify(String(link.dropFirst("http://127.0.0.1:9090/#token=".count)))
        #expect(principal.roles == [.rep])

        // A token without the rep role opens the admin page; a base that is not an http address is refused.
        let admin = try Self.run([
            "token", "--org", "acme", "--env", "dev", "--user", "u-2", "--role", "admin", "--data-dir", dataDirectory,
            "--url", "--base-url", "https://earpiece.example.com",
        ])
        #expect(admin.output.hasPrefix("https://earpiece.example.com/admin#token="), "\(admin.output)")
        let bad = try Self.run([
            "token", "--org", "acme", "--env", "dev", "--user", "u-1", "--role", "rep", "--data-dir", dataDirectory,
            "--url", "--base-url", "ftp://host",
        ])
        #expect(bad.status != 0)
        #expect(bad.errors.contains("--base-url must be an http or https address"), "\(bad.errors)")
    }

    @Test func withoutAScopeOptionTheTokenGrantsNoScope() async throws {
        let directory = try TemporaryDirectory()
        let dataDirectory = directory.file("data")
        let result = try Self.run([
            "token", "--org", "acme", "--env", "dev", "--user", "u-1", "--role", "rep", "--data-dir", dataDirectory,
        ])
        #expect(result.status == 0, "\(result.errors)")
        let verifier = try await TokenVerifier(
            configuration: AuthConfiguration(dataDirectory: dataDirectory), logger: AuthFixture.quietLogger)
        let principal = try await verifier.verify(result.output.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(principal.scopes.isEmpty)
    }

    @Test func anUnknownScopeIsRefusedWithTheScopesThereAre() throws {
        let directory = try TemporaryDirectory()
        let result = try Self.run([
            "token", "--org", "acme", "--env", "dev", "--user", "u-1", "--role", "rep",
            "--scope", "transcripts:read", "--data-dir", directory.file("data"),
        ])
        #expect(result.status != 0)
        #expect(result.output.isEmpty)
        #expect(result.errors.contains(#"unknown scope "transcripts:read"; scopes are transcript:read"#))
    }

    /// The `earpiece` executable that the same build put next to the test bundle.
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("earpiece")
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        try #require(
            FileManager.default.isExecutableFile(atPath: executable.path),
            "no earpiece executable at \(executable.path); build with `swift build --build-tests`")
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Both streams are a few lines at most, far below a pipe's buffer, so reading one then the other is safe.
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: outputData, as: UTF8.self),
            String(decoding: errorData, as: UTF8.self)
        )
    }
}
