import Crypto
import Testing

@testable import EarpieceVault

@Suite("Sealing and opening a sealed blob")
struct SealedBlobRoundTripTests {
    static let segmentSize = 32

    @Test(arguments: [0, 1, segmentSize - 1, segmentSize, segmentSize + 1, 2 * segmentSize, 10 * segmentSize + 7])
    func randomPlaintextOfAnySizeOpensToItself(size: Int) throws {
        let key = randomDataKey()
        let plaintext = randomBytes(size)
        let sealed = try seal(plaintext, dataKey: key, segmentSize: Self.segmentSize)
        #expect(try SealedBlobReader.open(sealed, dataKey: key) == plaintext)
        // Every segment but the last is full; the last holds fewer than segmentSize bytes.
        let parts = try SealedParts(sealed)
        #expect(parts.segments.count == size / Self.segmentSize + 1)
        #expect(parts.segments.last?.count == size % Self.segmentSize + 16)
        let recovered = SealedBlobReader.recover(sealed, dataKey: key)
        #expect(recovered.isComplete)
        #expect(recovered.plaintext == plaintext)
        #expect(recovered.authenticSegments == parts.segments.count)
    }

    @Test func theDefaultSegmentSizeRoundTripsAManySegmentFile() throws {
        let key = randomDataKey()
        let plaintext = randomBytes(5 * SealedBlobHeader.defaultSegmentSize + 1234)
        var writer = try SealedBlobWriter(objectID: "rec_big", keyReference: try Vector.keyReference(), dataKey: key)
        var sealed = try writer.append(plaintext)
        sealed += try writer.finish()
        #expect(try SealedBlobReader.open(sealed, dataKey: key) == plaintext)
    }

    @Test func appendingInOddPiecesWritesTheSameBytesAsOneAppend() throws {
        let header = try Vector.header()
        let plaintext = randomBytes(333)
        let whole = try seal(plaintext, header: header, dataKey: Vector.dataKey)
        var writer = try SealedBlobWriter(header: header, dataKey: Vector.dataKey)
        var pieces: [UInt8] = []
        var offset = 0
        for size in [0, 1, 7, 31, 32, 33, 0, 64, 5, 97] where offset < plaintext.count {
            let end = min(offset + size, plaintext.count)
            pieces += try writer.append(plaintext[offset..<end])
            offset = end
        }
        pieces += try writer.append(plaintext[offset...])
        pieces += try writer.finish()
        #expect(pieces == whole)
    }

    @Test func appendReturnsEveryFullSegmentAtOnceAndHoldsBackOnlyThePartialOne() throws {
        var writer = try SealedBlobWriter(header: try Vector.header(), dataKey: Vector.dataKey)
        let first = try writer.append(randomBytes(10))
        #expect(first.count == 77)  // the header only
        #expect(writer.pendingByteCount == 10)
        let second = try writer.append(randomBytes(60))
        #expect(second.count == 2 * (32 + 16))
        #expect(writer.pendingByteCount == 6)
    }

    @Test func readingInOddPiecesGivesEachSegmentOnceItIsWhole() throws {
        let key = randomDataKey()
        let plaintext = randomBytes(200)
        let sealed = try seal(plaintext, dataKey: key)
        let header = try SealedBlobHeader.parse(sealed)
        var reader = try SealedBlobReader(header: header, dataKey: key)
        var out: [UInt8] = []
        var offset = header.encodedLength
        while offset < sealed.count {
            let end = min(offset + 13, sealed.count)
            out += try reader.read(sealed[offset..<end])
            #expect(out.count % 32 == 0)
            offset = end
        }
        out += try reader.finish()
        #expect(out == plaintext)
    }

    @Test func anInterruptedFileIsFinishedByCopyingItsAuthenticPrefixIntoANewFile() throws {
        let key = randomDataKey()
        let plaintext = randomBytes(100)
        var writer = try SealedBlobWriter(
            objectID: "rec_crash", keyReference: try Vector.keyReference(), dataKey: key, segmentSize: 32)
        let onDisk = try writer.append(plaintext)  // the process dies before finish()
        _ = consume writer
        let recovered = SealedBlobReader.recover(onDisk, dataKey: key)
        #expect(recovered.stopReason == .missingLastSegment(afterSegments: 3))
        #expect(recovered.plaintext == Array(plaintext.prefix(96)))
        let finished = try seal(recovered.plaintext, objectID: "rec_crash", dataKey: key)
        #expect(try SealedBlobReader.open(finished, dataKey: key) == Array(plaintext.prefix(96)))
        #expect(try SealedBlobHeader.parse(finished).salt != (try SealedBlobHeader.parse(onDisk).salt))
    }

    @Test func twoWritersNeverShareASaltOrNoncePrefix() throws {
        var salts = Set<[UInt8]>()
        var prefixes = Set<[UInt8]>()
        for _ in 0..<1000 {
            let writer = try SealedBlobWriter(
                objectID: "rec_test", keyReference: try Vector.keyReference(), dataKey: Vector.dataKey)
            salts.insert(writer.header.salt)
            prefixes.insert(writer.header.noncePrefix)
        }
        #expect(salts.count == 1000)
        #expect(prefixes.count == 1000)
    }
}
