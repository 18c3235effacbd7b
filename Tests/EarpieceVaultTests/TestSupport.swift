import Crypto

@testable import EarpieceVault

/// The fixed inputs of the test vectors in `docs/sealed-blob.md`.
enum Vector {
    static let dataKey = SymmetricKey(data: Array(UInt8(0x00)...UInt8(0x1f)))
    static let salt = Array(UInt8(0x20)...UInt8(0x3f))
    static let noncePrefix = Array(UInt8(0xa0)...UInt8(0xa6))
    static let objectID = "rec_test"
    static let segmentSize = 32
    static let plaintext = Array(UInt8(0)..<UInt8(70))

    static func keyReference() throws -> SealedBlobKeyReference {
        try SealedBlobKeyReference(org: "org_test", env: "prod", kekVersion: 1)
    }

    static func header(salt: [UInt8] = salt, objectID: String = objectID) throws -> SealedBlobHeader {
        try SealedBlobHeader(
            segmentSize: segmentSize, salt: salt, noncePrefix: noncePrefix, objectID: objectID,
            keyReference: try keyReference())
    }
}

enum Hex {
    static func string(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { byte in
            let digits = String(byte, radix: 16)
            return byte < 16 ? "0" + digits : digits
        }.joined()
    }
}


func randomBytes(_ count: Int) -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
}

func randomDataKey() -> SymmetricKey { SymmetricKey(size: .bits256) }

/// Seals `plaintext` in one append with a fresh writer.
func seal(
    _ plaintext: [UInt8], objectID: String = "rec_test", dataKey: SymmetricKey, segmentSize: Int = 32
) throws -> [UInt8] {
    var writer = try SealedBlobWriter(
        objectID: objectID, keyReference: try Vector.keyReference(), dataKey: dataKey, segmentSize: segmentSize)
    var out = try writer.append(plaintext)
    out += try writer.finish()
    return out
}

/// Seals `plaintext` under a caller-chosen header, as only tests may.
func seal(_ plaintext: [UInt8], header: SealedBlobHeader, dataKey: SymmetricKey) throws -> [UInt8] {
    var writer = try SealedBlobWriter(header: header, dataKey: dataKey)
    var out = try writer.append(plaintext)
    out += try writer.finish()
    return out
}
