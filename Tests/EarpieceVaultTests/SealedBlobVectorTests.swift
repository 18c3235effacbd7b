import Crypto
import Testing

@testable import EarpieceVault

/// The test vectors of `docs/sealed-blob.md`, byte for byte.
@Suite("The sealed-blob test vectors of the format document")
struct SealedBlobVectorTests {
    static let headerHex =
        "4550534201004d00000020202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
        + "a0a1a2a3a4a5a6087265635f74657374086f72675f746573740470726f6400000001"
    static let segmentHexes = [
        "e23e98b4872535ddd09e83dada866a0cf7fd312bf1a262b3760110ab774de090107efb7b101ba0c938bd7e8581105372",
        "236996c3708131a6608b77f53c149fe51205d820957b079429a83340bc5a48721e1d0389fd3402a11f46cf7f4f90f7ea",
        "474ae3c81e9211c9120b707343d0b0ead136c9bfc286",
    ]

    @Test func theHeaderEncodesToTheDocumentedBytes() throws {
        let header = try Vector.header()
        #expect(Hex.string(header.encoded()) == Self.headerHex)
        #expect(header.encodedLength == 77)
    }

    @Test func eachSegmentSealsToTheDocumentedBytes() throws {
        let sealed = try seal(Vector.plaintext, header: try Vector.header(), dataKey: Vector.dataKey)
        let parts = try SealedParts(sealed)
        #expect(Hex.string(parts.header) == Self.headerHex)
        #expect(parts.segments.map { Hex.string($0) } == Self.segmentHexes)
        #expect(sealed.count == 195)
    }

    @Test func theDocumentedFileKeyAndNoncesAreTheOnesUsed() throws {
        let header = try Vector.header()
        let fileKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: Vector.dataKey, salt: Vector.salt,
            info: Array("earpiece sealed-blob v1rec_test".utf8), outputByteCount: 32)
        #expect(fileKey.withUnsafeBytes { Hex.string($0) }
            == "497636ec7ed230c57d373e876acc88cfb014495efa37c28c502a0153ceef0b2e")
        let cipher = try SealedBlobSegmentCipher(dataKey: Vector.dataKey, header: header)
        #expect(Hex.string(cipher.nonceBytes(counter: 0, isLast: false)) == "a0a1a2a3a4a5a60000000000")
        #expect(Hex.string(cipher.nonceBytes(counter: 1, isLast: false)) == "a0a1a2a3a4a5a60000000100")
        #expect(Hex.string(cipher.nonceBytes(counter: 2, isLast: true)) == "a0a1a2a3a4a5a60000000201")
    }

    @Test func theDocumentedFileOpensToTheDocumentedPlaintext() throws {
        let sealed = try SealedParts(try seal(Vector.plaintext, header: try Vector.header(), dataKey: Vector.dataKey))
        #expect(try SealedBlobReader.open(sealed.joined, dataKey: Vector.dataKey) == Vector.plaintext)
        let parsed = try SealedBlobHeader.parse(sealed.header)
        #expect(parsed == (try Vector.header()))
        #expect(parsed.keyReference == (try Vector.keyReference()))
    }

    @Test func theCipherNeverDescribesItsKey() throws {
        let cipher = try SealedBlobSegmentCipher(dataKey: Vector.dataKey, header: try Vector.header())
        for text in [String(describing: cipher), String(reflecting: cipher)] {
            #expect(!text.contains("497636ec"))
            #expect(!text.lowercased().contains("key"))
        }
        #expect(Mirror(reflecting: cipher).children.isEmpty)
    }
}
