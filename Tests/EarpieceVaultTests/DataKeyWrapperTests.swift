import Crypto
import Testing

@testable import EarpieceVault

@Suite("Wrapping data keys under tenants' KEKs")
struct DataKeyWrapperTests {
    static func keyring(active: UInt32 = 1) throws -> Keyring {
        var roots = [try RootKey(version: 1, keyBytes: RootBytes.v1)]
        if active == 2 { roots.append(try RootKey(version: 2, keyBytes: RootBytes.v2)) }
        return try Keyring(roots: roots, activeVersion: active)
    }

    private enum RootBytes {
        static let v1 = Array(repeating: UInt8(0x41), count: 32)
        static let v2 = Array(repeating: UInt8(0x42), count: 32)
    }

    private func bytes(_ key: SymmetricKey) -> [UInt8] { key.withUnsafeBytes { Array($0) } }

    @Test func aWrappedDataKeyUnwrapsToItself() throws {
        let wrapper = DataKeyWrapper(keyring: try Self.keyring())
        let dataKey = DataKeyWrapper.newDataKey()
        let wrapped = try wrapper.wrap(dataKey: dataKey, org: "acme", env: "prod", objectID: "rec_1")
        #expect(wrapped.bytes.count == 65)
        #expect(wrapped.bytes[0] == 1)
        #expect(wrapped.kekVersion == 1)
        let parsed = try WrappedDataKey(bytes: wrapped.bytes)
        #expect(bytes(try wrapper.unwrap(parsed, org: "acme", env: "prod", objectID: "rec_1")) == bytes(dataKey))
        // A fresh nonce each time: wrapping twice never gives the same bytes.
        #expect(try wrapper.wrap(dataKey: dataKey, org: "acme", env: "prod", objectID: "rec_1") != wrapped)
    }

    @Test(arguments: [
        ("acme2", "prod", "rec_1"), ("acme", "dev", "rec_1"), ("acme", "prod", "rec_2"),
        ("acmep", "rod", "rec_1"), ("acme", "prodr", "ec_1"),
    ])
    func unwrappingForAnotherOrgEnvOrObjectFailsAuthentication(org: String, env: String, objectID: String) throws {
        let wrapper = DataKeyWrapper(keyring: try Self.keyring())
        let wrapped = try wrapper.wrap(
            dataKey: DataKeyWrapper.newDataKey(), org: "acme", env: "prod", objectID: "rec_1")
        #expect(throws: DataKeyError.authenticationFailed) {
            try wrapper.unwrap(wrapped, org: org, env: env, objectID: objectID)
        }
    }

    @Test func everyTamperedByteFails() throws {
        let wrapper = DataKeyWrapper(keyring: try Self.keyring(active: 2))
        let wrapped = try wrapper.wrap(
            dataKey: DataKeyWrapper.newDataKey(), org: "acme", env: "prod", objectID: "rec_1")
        for index in wrapped.bytes.indices {
            var tampered = wrapped.bytes
            tampered[index] ^= 0x01
            #expect(throws: DataKeyError.self) {
                try wrapper.unwrap(try WrappedDataKey(bytes: tampered), org: "acme", env: "prod", objectID: "rec_1")
            }
            if index >= 5 {
                #expect(throws: DataKeyError.authenticationFailed) {
                    try wrapper.unwrap(
                        try WrappedDataKey(bytes: tampered), org: "acme", env: "prod", objectID: "rec_1")
                }
            }
        }
        // Relabelling a v2 wrap as v1 (a version the keyring holds) fails authentication, not just the lookup.
        var relabelled = wrapped.bytes
        relabelled[4] = 1
        #expect(throws: DataKeyError.authenticationFailed) {
            try wrapper.unwrap(try WrappedDataKey(bytes: relabelled), org: "acme", env: "prod", objectID: "rec_1")
        }
        #expect(throws: DataKeyError.self) { try WrappedDataKey(bytes: wrapped.bytes.dropLast()) }
    }

    @Test func afterRotationOldWrapsUnwrapNewWrapsUseTheNewVersionAndRewrapMovesKeys() throws {
        let before = DataKeyWrapper(keyring: try Self.keyring(active: 1))
        let dataKey = DataKeyWrapper.newDataKey()
        let old = try before.wrap(dataKey: dataKey, org: "acme", env: "prod", objectID: "rec_1")
        #expect(old.kekVersion == 1)

        let after = DataKeyWrapper(keyring: try Self.keyring(active: 2))
        #expect(bytes(try after.unwrap(old, org: "acme", env: "prod", objectID: "rec_1")) == bytes(dataKey))
        let fresh = try after.wrap(dataKey: DataKeyWrapper.newDataKey(), org: "acme", env: "prod", objectID: "rec_2")
        #expect(fresh.kekVersion == 2)

        let moved = try after.rewrap(old, org: "acme", env: "prod", objectID: "rec_1")
        #expect(moved.kekVersion == 2)
        #expect(bytes(try after.unwrap(moved, org: "acme", env: "prod", objectID: "rec_1")) == bytes(dataKey))
        #expect(try after.rewrap(moved, org: "acme", env: "prod", objectID: "rec_1") == moved)
        #expect(throws: DataKeyError.self) { try after.rewrap(old, org: "acme", env: "prod", objectID: "rec_2") }
    }

    @Test func aSealedBlobStillOpensWithItsDataKeyAfterRewrap() throws {
        let before = DataKeyWrapper(keyring: try Self.keyring(active: 1))
        let dataKey = DataKeyWrapper.newDataKey()
        let wrapped = try before.wrap(dataKey: dataKey, org: "acme", env: "prod", objectID: "rec_blob")
        let plaintext = randomBytes(1000)
        var writer = try SealedBlobWriter(
            objectID: "rec_blob", keyReference: try SealedBlobKeyReference(org: "acme", env: "prod", kekVersion: 1),
            dataKey: dataKey, segmentSize: 64)
        var sealed = try writer.append(plaintext)
        sealed += try writer.finish()

        let after = DataKeyWrapper(keyring: try Self.keyring(active: 2))
        let rewrapped = try after.rewrap(wrapped, org: "acme", env: "prod", objectID: "rec_blob")
        let unwrapped = try after.unwrap(rewrapped, org: "acme", env: "prod", objectID: "rec_blob")
        #expect(try SealedBlobReader.open(sealed, dataKey: unwrapped) == plaintext)
    }

    @Test func aDataKeyOfTheWrongSizeIsRefused() throws {
        let wrapper = DataKeyWrapper(keyring: try Self.keyring())
        #expect(throws: DataKeyError.invalidDataKey(byteCount: 16)) {
            try wrapper.wrap(dataKey: SymmetricKey(size: .bits128), org: "acme", env: "prod", objectID: "rec_1")
        }
    }

    @Test func aWrappedKeyDescriptionShowsOnlyItsVersion() throws {
        let wrapper = DataKeyWrapper(keyring: try Self.keyring())
        let wrapped = try wrapper.wrap(
            dataKey: DataKeyWrapper.newDataKey(), org: "acme", env: "prod", objectID: "rec_1")
        #expect(wrapped.description == "WrappedDataKey(kekVersion: 1, <redacted>)")
        #expect(DataKeyError.authenticationFailed.description.contains("authentication"))
    }
}
