import Foundation
import Testing

@testable import EarpieceAuth

@Suite("The development signing key on disk")
struct DevSigningKeyTests {
    private func mode(of path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test func theFirstLoadCreatesAnOwnerOnlyKeyInAnOwnerOnlyDirectory() throws {
        let directory = try TemporaryDirectory()
        let dataDirectory = directory.file("data")
        let key = try DevSigningKey.loadOrCreate(dataDirectory: dataDirectory)

        #expect(key.isNewlyCreated)
        #expect(key.path == dataDirectory + "/keys/jwt-hs256.json")
        #expect(try mode(of: key.path) == 0o600)
        #expect(try mode(of: dataDirectory + "/keys") == 0o700)
        #expect(key.keyID.hasPrefix("dev-"))

        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: key.path)))
        let fields = try #require(json as? [String: String])
        #expect(Set(fields.keys) == ["kid", "secret"])
        #expect(fields["kid"] == key.keyID)
        #expect(Base64URL.decode(try #require(fields["secret"]))?.count == 32)
        // No temporary file is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dataDirectory + "/keys") == ["jwt-hs256.json"])
    }

    @Test func theSecondLoadReusesTheSameKey() async throws {
        let directory = try TemporaryDirectory()
        let first = try DevSigningKey.loadOrCreate(dataDirectory: directory.path)
        let second = try DevSigningKey.loadOrCreate(dataDirectory: directory.path)
        #expect(!second.isNewlyCreated)
        #expect(second.keyID == first.keyID)
        #expect(second.secret == first.secret)

        let token = try await TokenMinter(key: first).mint(userID: "u", org: "o", env: .dev, roles: [.rep])
        let verifier = try await TokenVerifier(
            configuration: AuthConfiguration(dataDirectory: directory.path), logger: AuthFixture.quietLogger)
        _ = try await verifier.verify(token)
    }

    @Test func keysCreatedAtTheSameTimeAgreeOnOneKey() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path
        let keyIDs = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 {
                group.addTask { try DevSigningKey.loadOrCreate(dataDirectory: path).keyID }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(keyIDs.count == 1)
    }

    @Test("a key file that the group or others can read or write is refused", arguments: [0o644, 0o640, 0o604, 0o620])
    func sharedKeyFileIsRefused(mode: Int) async throws {
        let directory = try TemporaryDirectory()
        let key = try DevSigningKey.loadOrCreate(dataDirectory: directory.path)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: key.path)

        let expected = AuthError.keyFile(
            "\(key.path) is readable or writable by group or others (mode \(String(mode, radix: 8))); "
                + "run `chmod 600 \(key.path)`")
        #expect(throws: expected) { try DevSigningKey.loadOrCreate(dataDirectory: directory.path) }
        await #expect(throws: expected) {
            try await TokenVerifier(
                configuration: AuthConfiguration(dataDirectory: directory.path), logger: AuthFixture.quietLogger)
        }
    }

    @Test func aKeysDirectoryOpenToOthersIsRefused() throws {
        let directory = try TemporaryDirectory()
        _ = try DevSigningKey.loadOrCreate(dataDirectory: directory.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.file("keys"))
        #expect(
            throws: AuthError.keyFile(
                "\(directory.file("keys")) is open to group or others (mode 755); run `chmod 700 \(directory.file("keys"))`"
            )
        ) {
            try DevSigningKey.loadOrCreate(dataDirectory: directory.path)
        }
    }

    @Test func aSymbolicLinkInPlaceOfTheKeyIsRefused() throws {
        let directory = try TemporaryDirectory()
        let key = try DevSigningKey.loadOrCreate(dataDirectory: directory.file("real"))
        try FileManager.default.createDirectory(atPath: directory.file("other/keys"), withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory.file("other/keys"))
        try FileManager.default.createSymbolicLink(
            atPath: directory.file("other/keys/jwt-hs256.json"), withDestinationPath: key.path)
        #expect(throws: AuthError.self) { try DevSigningKey.loadOrCreate(dataDirectory: directory.file("other")) }
    }

    @Test(
        "a damaged key file is refused, never replaced",
        arguments: [
            "", "{}", "not json", #"{"kid":"dev-1","secret":"c2hvcnQ"}"#,
            #"{"kid":"bad kid","secret":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}"#,
        ])
    func damagedKeyFile(contents: String) throws {
        let directory = try TemporaryDirectory()
        let key = try DevSigningKey.loadOrCreate(dataDirectory: directory.path)
        try Data(contents.utf8).write(to: URL(fileURLWithPath: key.path))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key.path)
        #expect(throws: AuthError.self) { try DevSigningKey.loadOrCreate(dataDirectory: directory.path) }
        #expect(try String(contentsOfFile: key.path, encoding: .utf8) == contents)
    }

    @Test func theKeysDescriptionNamesTheKeyButNotTheSecret() throws {
        let directory = try TemporaryDirectory()
        let key = try DevSigningKey.loadOrCreate(dataDirectory: directory.path)
        let secret = key.secret.withUnsafeBytes { Base64URL.encode($0) }
        #expect("\(key)" == "HS256 key \(key.keyID) at \(key.path)")
        #expect(!String(reflecting: key).contains(secret))
    }

    @Test func withoutTheDevelopmentKeyNoKeyFileIsCreated() async throws {
        let directory = try TemporaryDirectory()
        let provider = TestIdentityProvider(keyID: "idp-1")
        try TestIdentityProvider.writeJWKS([provider.jwk], to: directory.file("jwks.json"))
        let verifier = try await TokenVerifier(
            configuration: AuthConfiguration(
                dataDirectory: directory.file("data"), acceptsDevelopmentKey: false,
                jwksPath: directory.file("jwks.json")),
            logger: AuthFixture.quietLogger)
        #expect(await verifier.trustedKeyIDs() == ["idp-1"])
        #expect(!FileManager.default.fileExists(atPath: directory.file("data")))
    }
}
