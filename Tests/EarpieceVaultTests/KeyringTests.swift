import Crypto
import Foundation
import Testing

@testable import EarpieceVault

@Suite("The keyring of root keys")
struct KeyringTests {
    private func temporaryDataDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("keyring-\(UUID().uuidString)").path
    }

    private func mode(of path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    private static let key1 = Data(repeating: 0x11, count: 32).base64EncodedString()
    private static let key2 = Data(repeating: 0x22, count: 32).base64EncodedString()

    @Test func aNewKeyringIsCreatedOwnerOnlyInAPrivateFolderAndReusedAfterwards() throws {
        let dataDirectory = temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        let first = try Keyring.loadOrCreate(dataDirectory: dataDirectory)
        let path = dataDirectory + "/keys/keyring.json"
        #expect(try mode(of: path) == 0o600)
        #expect(try mode(of: dataDirectory + "/keys") == 0o700)
        #expect(first.versions == [1])
        #expect(first.activeVersion == 1)

        let second = try Keyring.loadOrCreate(dataDirectory: dataDirectory)
        #expect(second.activeRootKey.keyBytes == first.activeRootKey.keyBytes)
        #expect(second.activeRootKey.keyBytes.count == 32)

        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        let object = try #require(json as? [String: Any])
        #expect(object["version"] as? Int == 1)
        #expect(object["active"] as? Int == 1)
        let roots = try #require(object["roots"] as? [[String: Any]])
        #expect(roots.count == 1)
        #expect(roots.first?["created"] is String)
    }

    @Test(arguments: [0o644, 0o640, 0o604])
    func aKeyringOpenToGroupOrOthersIsRefusedWithTheFix(permissions: Int) throws {
        let dataDirectory = temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        _ = try Keyring.loadOrCreate(dataDirectory: dataDirectory)
        let path = dataDirectory + "/keys/keyring.json"
        try FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: path)
        let error = try #require(throws: KeyringError.self) { try Keyring.loadOrCreate(dataDirectory: dataDirectory) }
        #expect(error.description.contains(path))
        #expect(error.description.contains("chmod 600"))
    }

    @Test func aKeyringThatIsASymbolicLinkIsRefused() throws {
        let dataDirectory = temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        _ = try Keyring.loadOrCreate(dataDirectory: dataDirectory)
        let path = dataDirectory + "/keys/keyring.json"
        let real = dataDirectory + "/keys/real.json"
        try FileManager.default.moveItem(atPath: path, toPath: real)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: real)
        let error = try #require(throws: KeyringError.self) { try Keyring.loadOrCreate(dataDirectory: dataDirectory) }
        #expect(error.description.contains("symbolic link"))
    }

    @Test(arguments: [
        "not json",
        #"{"version":1,"active":1,"roots":[{"version":1,"key":"AAAA","created":"2026-01-01T00:00:00Z"}]}"#,
        #"{"version":1,"active":2,"roots":[{"version":1,"key":"KEY","created":"2026-01-01T00:00:00Z"}]}"#,
        #"{"version":2,"active":1,"roots":[{"version":1,"key":"KEY","created":"2026-01-01T00:00:00Z"}]}"#,
        #"{"version":1,"active":1,"roots":[]}"#,
    ])
    func aMalformedKeyringOrAShortKeyIsRefused(contents: String) throws {
        let dataDirectory = temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        _ = try Keyring.loadOrCreate(dataDirectory: dataDirectory)
        let path = dataDirectory + "/keys/keyring.json"
        let text = contents.replacingOccurrences(of: "KEY", with: Self.key1)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        let error = try #require(throws: KeyringError.self) { try Keyring.loadOrCreate(dataDirectory: dataDirectory) }
        #expect(error.description.contains(path))
    }

    @Test func rotatingTheFileAppendsAnActiveVersionAndKeepsTheOldOne() throws {
        let dataDirectory = temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        let original = try Keyring.loadOrCreate(dataDirectory: dataDirectory)
        let rotated = try Keyring.rotate(dataDirectory: dataDirectory)
        #expect(rotated.versions == [1, 2])
        #expect(rotated.activeVersion == 2)
        let reloaded = try Keyring.loadOrCreate(dataDirectory: dataDirectory)
        #expect(reloaded.versions == [1, 2])
        #expect(reloaded.activeVersion == 2)
        #expect(reloaded.rootKey(version: 1)?.keyBytes == original.activeRootKey.keyBytes)
        #expect(reloaded.rootKey(version: 2)?.keyBytes == rotated.activeRootKey.keyBytes)
        #expect(try mode(of: dataDirectory + "/keys/keyring.json") == 0o600)
    }

    @Test func theEnvironmentFormParsesWithTheHighestVersionActive() throws {
        let keyring = try Keyring(environmentValue: "2:\(Self.key2),1:\(Self.key1)")
        #expect(keyring.versions == [1, 2])
        #expect(keyring.activeVersion == 2)
        #expect(keyring.rootKey(version: 1)?.keyBytes == Array(repeating: 0x11, count: 32))
        let resolved = try Keyring.resolve(
            dataDirectory: "/nonexistent", environment: ["EARPIECE_ROOT_KEYS": "7:\(Self.key1)"])
        #expect(resolved.activeVersion == 7)
        #expect(try Keyring.fromEnvironment([:]) == nil)
    }

    @Test(arguments: [
        "", "1", "1:", ":KEY1", "0:KEY1", "01:KEY1", "-1:KEY1", "+1:KEY1", "x:KEY1", "4294967296:KEY1",
        "1:KEY1,", ",1:KEY1", "1:KEY1,,2:KEY2", "1:KEY1,1:KEY2", " 1:KEY1", "1:KEY1 ", "1:KEY1:2",
        "1:AAAA", "1:not-base64!", "1:KEY1;2:KEY2", "1:UNPADDED", "1:\nKEY1",
    ])
    func aMalformedEnvironmentValueIsRefused(value: String) {
        let text = value.replacingOccurrences(of: "KEY1", with: Self.key1)
            .replacingOccurrences(of: "KEY2", with: Self.key2)
            .replacingOccurrences(of: "UNPADDED", with: String(Self.key1.dropLast()))
        #expect(throws: KeyringError.self) { try Keyring(environmentValue: text) }
    }

    @Test func descriptionsAndErrorsNeverShowKeyMaterial() throws {
        let keyring = try Keyring(environmentValue: "1:\(Self.key1),2:\(Self.key2)")
        let texts = [
            keyring.description, String(describing: keyring), String(reflecting: keyring.activeRootKey),
            "\(keyring.activeRootKey)",
            (try? Keyring(environmentValue: "1:\(Self.key1.dropLast(4))")).map { "\($0)" } ?? "",
        ]
        var error: KeyringError?
        do { _ = try Keyring(environmentValue: "0:\(Self.key1)") } catch let caught { error = caught }
        for text in texts + [error?.description ?? ""] {
            #expect(!text.contains(Self.key1))
            #expect(!text.contains(Self.key2))
            #expect(!text.contains(String(Self.key1.prefix(8))))
        }
        #expect(keyring.description.contains("redacted"))
    }
}
