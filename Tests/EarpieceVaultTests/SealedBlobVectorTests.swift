import Crypto
import Testing

@testable import EarpieceVault

/// The test vectors of `docs/sealed-blob.md`, byte for byte.
@Suite("The sealed-blob test vectors of the format document")
struct SealedBlobVectorTests {
    static let headerHex =
        "4550534202004d00000020202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
        + "a0a1a2a3a4a5a6087265635f74657374086f72675f746573740470726f6400000001"
    /// Vector 1: append all 70 bytes, then finish.
    static let oneAppendRecordHexes = [
        "00000020e23e98b4872535ddd09e83dada866a0cf7fd312bf1a262b3760110ab774de090"
            + "ec6d5e29dc0ef864dd0140eff44c7826",
        "00000020236996c3708131a6608b77f53c149fe51205d820957b079429a83340bc5a4872"
            + "e20ea6db31215a0cfafaf1153accdcbe",
        "80000006474ae3c81e92769fc8125c1df23552850375623df063",
    ]
    /// Vector 2: append 00..09, flush, append 0a..45, finish.
    static let flushRecordHexes = [
        "0000000ae23e98b4872535ddd09e3d7021b1d20897850cf8baf3d4526061",
        "000000200943b8ed5aab07905ab149cb062ea9d3382ff60ebf51118233b22d5ea6405e64"
            + "da2d919a9c064a64e55d816dd284d346",
        "8000001c2d208da674f87cff5aa04cca2a4d026f17d637dfc622864b9024cd7d561bf18d"
            + "63b4094bf514b508c351c51b",
    ]

    /// Writes vector 2 exactly as the document describes it, keeping each piece the writer hands back.
    private func flushVectorPieces() throws -> [[UInt8]] {
        var writer = try SealedBlobWriter(header: try Vector.header(), dataKey: Vector.dataKey)
        return [
            try writer.append(Vector.plaintext[..<10]),
            try writer.flush(),
            try writer.append(Vector.plaintext[10...]),
            try writer.finish(),
        ]
    }

    @Test func theHeaderEncodesToTheDocumentedBytes() throws {
        let header = try Vector.header()
        #expect(Hex.string(header.encoded()) == Self.headerHex)
        #expect(header.encodedLength == 77)
    }

    @Test func oneAppendThenFinishSealsToTheDocumentedRecords() throws {
        let sealed = try seal(Vector.plaintext, header: try Vector.header(), dataKey: Vector.dataKey)
        let records = try SealedBlobRecords(sealed)
        #expect(Hex.string(records.header) == Self.headerHex)
        #expect(records.records.map { Hex.string($0) } == Self.oneAppendRecordHexes)
        #expect(records.tail.isEmpty)
        #expect(sealed.count == 207)
    }

    @Test func appendFlushAppendFinishSealsToTheDocumentedRecords() throws {
        let pieces = try flushVectorPieces()
        #expect(Hex.string(pieces[0]) == Self.headerHex)  // the first append fills nothing: the header only
        #expect(Hex.string(pieces[1]) == Self.flushRecordHexes[0])
        #expect(Hex.string(pieces[2]) == Self.flushRecordHexes[1])
        #expect(Hex.string(pieces[3]) == Self.flushRecordHexes[2])
        #expect(pieces.joined().count == 207)
    }

    @Test func theDocumentedFileKeyNoncesAndAssociatedDataAreTheOnesUsed() throws {
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
        let lastOfSix = SealedBlobSegmentDescriptor(length: 6, isLast: true)
        #expect(Hex.string(cipher.associatedData(for: lastOfSix)) == Self.headerHex + "80000006")
    }

    @Test func bothDocumentedFilesOpenToTheDocumentedPlaintext() throws {
        let files = [
            Self.headerHex + Self.oneAppendRecordHexes.joined(),
            Self.headerHex + Self.flushRecordHexes.joined(),
        ]
        for hex in files {
            let sealed = try Self.bytes(hex: hex)
            #expect(try SealedBlobReader.open(sealed, dataKey: Vector.dataKey) == Vector.plaintext)
            let recovered = SealedBlobReader.recover(sealed, dataKey: Vector.dataKey)
            #expect(recovered.isComplete)
            #expect(recovered.authenticSegments == 3)
        }
        let parsed = try SealedBlobHeader.parse(try Self.bytes(hex: Self.headerHex))
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

    private struct OddHexLength: Error {}

    private static func bytes(hex: String) throws -> [UInt8] {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { throw OddHexLength() }
        return try stride(from: 0, to: digits.count, by: 2).map { index in
            try #require(UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16))
        }
    }
}
