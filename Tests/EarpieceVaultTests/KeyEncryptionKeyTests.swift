import Crypto
import Testing

@testable import EarpieceVault

@Suite("Key-encryption keys derived per tenant and version")
struct KeyEncryptionKeyTests {
    static func keyring() throws -> Keyring {
        try Keyring(
            roots: [
                try RootKey(version: 1, keyBytes: Array(repeating: 0x11, count: 32)),
                try RootKey(version: 2, keyBytes: Array(repeating: 0x22, count: 32)),
            ], activeVersion: 2)
    }

    private func kekBytes(_ org: String, _ env: String, _ version: UInt32) throws -> [UInt8] {
        try KeyEncryptionKey(keyring: Self.keyring(), org: org, env: env, version: version)
            .key.withUnsafeBytes { Array($0) }
    }

    @Test func theSameTenantAndVersionAlwaysDeriveTheSameKEK() throws {
        #expect(try kekBytes("acme", "prod", 1) == kekBytes("acme", "prod", 1))
        #expect(try kekBytes("acme", "prod", 1).count == 32)
    }

    @Test func kekDerivationFollowsTheDocumentedHKDF() throws {
        var info = Array("acme".utf8) + [0] + Array("prod".utf8) + [0]
        info += [0, 0, 0, 2]
        let expected = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Array(repeating: UInt8(0x22), count: 32)),
            salt: Array("earpiece kek v1".utf8), info: info, outputByteCount: 32)
        #expect(try kekBytes("acme", "prod", 2) == expected.withUnsafeBytes { Array($0) })
    }

    @Test func kekDiffersPerOrgEnvAndVersion() throws {
        let all = try [
            kekBytes("acme", "prod", 1), kekBytes("acme2", "prod", 1), kekBytes("acme", "dev", 1),
            kekBytes("acme", "prod", 2), kekBytes("acm", "eprod", 1),
        ]
        #expect(Set(all).count == all.count)
    }

    @Test func anUnknownVersionOrABadTenantIsRefused() throws {
        #expect(throws: DataKeyError.unknownKEKVersion(3)) {
            try KeyEncryptionKey(keyring: Self.keyring(), org: "acme", env: "prod", version: 3)
        }
        let badTenants = [
            ("", "prod"), ("acme", ""), ("ac\u{0}me", "prod"), (String(repeating: "a", count: 65), "prod"),
        ]
        for (org, env) in badTenants {
            #expect(throws: DataKeyError.self) {
                try KeyEncryptionKey(keyring: Self.keyring(), org: org, env: env, version: 1)
            }
        }
    }

    @Test func aKEKDescriptionAndMirrorNeverShowTheKey() throws {
        let kek = try KeyEncryptionKey(keyring: Self.keyring(), org: "acme", env: "prod", version: 1)
        var dumped = ""
        dump(kek, to: &dumped)
        var dumpedRoot = ""
        dump(try #require(Self.keyring().rootKey(version: 1)), to: &dumpedRoot)
        for text in [kek.description, String(reflecting: kek), dumped, dumpedRoot] {
            #expect(!text.contains("17"))  // 0x11, the root key's bytes, in decimal
            #expect(!text.lowercased().contains("bytes:"))
        }
        #expect(kek.description.contains("redacted"))
    }
}
