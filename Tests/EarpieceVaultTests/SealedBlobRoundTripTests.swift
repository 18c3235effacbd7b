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
        // Without flushes every segment but the last is full, and the last holds the rest (possibly nothing).
        let records = try SealedBlobRecords(sealed)
        #expect(records.descriptors.map(\.length)
            == Array(repeating: Self.segmentSize, count: size / Self.segmentSize) + [size % Self.segmentSize])
        #expect(records.descriptors.map(\.isLast) == Array(repeating: false, count: size / Self.segmentSize) + [true])
        let recovered = SealedBlobReader.recover(sealed, dataKey: key)
        #expect(recovered.isComplete)
        #expect(recovered.plaintext == plaintext)
        #expect(recovered.authenticSegments == records.records.count)
    }

    @Test func theEmptyPlaintextIsOneEmptyLastSegment() throws {
        let sealed = try seal([], header: try Vector.header(), dataKey: Vector.dataKey)
        #expect(sealed.count == 77 + 4 + 16)
        #expect(Array(sealed[77..<81]) == [0x80, 0, 0, 0])
        #expect(try SealedBlobReader.open(sealed, dataKey: Vector.dataKey) == [])
        #expect(SealedBlobReader.recover(sealed, dataKey: Vector.dataKey).authenticSegments == 1)
    }

    @Test(arguments: [1, 2, 5])
    func anExactMultipleOfTheSegmentSizeEndsWithAnEmptyLastSegment(multiple: Int) throws {
        let plaintext = randomBytes(multiple * Self.segmentSize)
        let sealed = try seal(plaintext, header: try Vector.header(), dataKey: Vector.dataKey)
        let records = try SealedBlobRecords(sealed)
        #expect(records.descriptors.map(\.length) == Array(repeating: 32, count: multiple) + [0])
        #expect(try SealedBlobReader.open(sealed, dataKey: Vector.dataKey) == plaintext)
        // Flushing at a full segment's edge has nothing pending, so it adds nothing.
        var writer = try SealedBlobWriter(header: try Vector.header(), dataKey: Vector.dataKey)
        var flushed = try writer.append(plaintext)
        #expect(try writer.flush() == [])
        flushed += try writer.finish()
        #expect(flushed == sealed)
    }

    @Test func randomAppendsAndFlushesSealToTheSegmentsTheDocumentPrescribesAndOpenToThePlaintext() throws {
        var random = SealedBlobSeededRandom(seed: 0x5EA1_ED02)
        for round in 0..<300 {
            let segmentSize = Int.random(in: 16...80, using: &random)
            let plan = SealedBlobWritePlan.random(
                total: Int.random(in: 0...700, using: &random), maximumAppend: 3 * segmentSize,
                flushChance: Double.random(in: 0...1, using: &random), using: &random)
            let plaintext = random.bytes(plan.plaintextCount)
            let header = try SealedBlobHeader(
                segmentSize: segmentSize, salt: random.bytes(32), noncePrefix: random.bytes(7), objectID: "rec_rt",
                keyReference: try Vector.keyReference())
            let key = SymmetricKey(data: random.bytes(32))
            let (sealed, chunks) = try plan.seal(plaintext, with: try SealedBlobWriter(header: header, dataKey: key))
            let context: Comment = "round \(round), S = \(segmentSize), plan \(plan)"

            let records = try SealedBlobRecords(sealed)
            #expect(records.descriptors.map(\.length) == plan.expectedSegmentLengths(segmentSize: segmentSize), context)
            #expect(records.descriptors.filter(\.isLast).count == 1, context)
            #expect(records.descriptors.last?.isLast == true, context)
            #expect(records.tail.isEmpty, context)
            // Everything the writer hands back ends on a record boundary, so each piece can be synced as it comes.
            var written = 0
            for chunk in chunks {
                written += chunk.count
                #expect(records.recordBoundaries.contains(written) || written == 0, context)
            }
            #expect(try SealedBlobReader.open(sealed, dataKey: key) == plaintext, context)
            let recovered = SealedBlobReader.recover(sealed, dataKey: key)
            #expect(recovered == SealedBlobRecovery(
                plaintext: plaintext, authenticSegments: records.records.count, stopReason: nil), context)
        }
    }

    @Test func everythingAppendedBeforeAFlushRecoversFromWhatTheWriterHandedBack() throws {
        var random = SealedBlobSeededRandom(seed: 0xF1_0511)
        let header = try Vector.header()
        var writer = try SealedBlobWriter(header: header, dataKey: Vector.dataKey)
        var onDisk: [UInt8] = []
        var appended: [UInt8] = []
        for _ in 0..<40 {
            let piece = random.bytes(Int.random(in: 0...50, using: &random))
            appended += piece
            onDisk += try writer.append(piece)
            onDisk += try writer.flush()
            #expect(writer.pendingByteCount == 0)
            // A crash now loses nothing: the bytes handed back so far recover everything appended.
            let recovered = SealedBlobReader.recover(onDisk, dataKey: Vector.dataKey)
            #expect(recovered.plaintext == appended)
            #expect(recovered.stopReason == .missingLastSegment(afterSegments: recovered.authenticSegments))
        }
        onDisk += try writer.finish()
        #expect(try SealedBlobReader.open(onDisk, dataKey: Vector.dataKey) == appended)
    }

    @Test func flushSealsOnlyWhatIsPendingAndHandsOutTheHeaderOnce() throws {
        var writer = try SealedBlobWriter(header: try Vector.header(), dataKey: Vector.dataKey)
        #expect(try writer.flush().count == 77)  // nothing pending: the header alone
        #expect(try writer.flush() == [])
        #expect(try writer.append(randomBytes(5)) == [])
        #expect(writer.pendingByteCount == 5)
        let flushed = try writer.flush()
        #expect(flushed.count == 4 + 5 + 16)
        #expect(Array(flushed.prefix(4)) == [0, 0, 0, 5])
        #expect(writer.pendingByteCount == 0)
        #expect(try writer.flush() == [])
        let last = try writer.finish()
        #expect(Array(last.prefix(4)) == [0x80, 0, 0, 0])
    }

    @Test func theDefaultSegmentSizeRoundTripsAManySegmentFile() throws {
        let key = randomDataKey()
        let plaintext = randomBytes(5 * SealedBlobHeader.defaultSegmentSize + 1234)
        var writer = try SealedBlobWriter(objectID: "rec_big", keyReference: try Vector.keyReference(), dataKey: key)
        var sealed = try writer.append(plaintext.prefix(4000))
        sealed += try writer.flush()
        sealed += try writer.append(plaintext.dropFirst(4000))
        sealed += try writer.finish()
        #expect(try SealedBlobReader.open(sealed, dataKey: key) == plaintext)
        let afterFlush = plaintext.count - 4000
        #expect(try SealedBlobRecords(sealed).descriptors.map(\.length)
            == [4000] + Array(repeating: 65536, count: afterFlush / 65536) + [afterFlush % 65536])
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
        #expect(second.count == 2 * (4 + 32 + 16))
        #expect(writer.pendingByteCount == 6)
    }

    @Test func readingInRandomPiecesGivesEachSegmentAsSoonAsItsRecordIsWhole() throws {
        var random = SealedBlobSeededRandom(seed: 0x1EC0_4D5)
        for round in 0..<200 {
            let plan = SealedBlobWritePlan.random(
                total: Int.random(in: 0...400, using: &random), maximumAppend: 70, flushChance: 0.4, using: &random)
            let plaintext = random.bytes(plan.plaintextCount)
            let sealed = try plan.seal(plaintext, header: try Vector.header(), dataKey: Vector.dataKey)
            let records = try SealedBlobRecords(sealed)
            var reader = try SealedBlobReader(header: try Vector.header(), dataKey: Vector.dataKey)
            var out: [UInt8] = []
            var offset = 77
            while offset < sealed.count {
                let end = min(offset + Int.random(in: 0...60, using: &random), sealed.count)
                out += try reader.read(sealed[offset..<end])
                offset = end
                // Exactly the segments whose records are wholly buffered have been handed out, the last included.
                let whole = records.recordBoundaries.lastIndex { $0 <= offset } ?? 0
                #expect(out == Array(plaintext.prefix(records.plaintextBoundaries[whole])), "round \(round)")
                let (authentic, sawLast) = (reader.authenticSegments, reader.hasReadLastSegment)
                #expect(authentic == whole)
                #expect(sawLast == (offset == sealed.count))
            }
            #expect(try reader.finish() == [])
            #expect(out == plaintext)
        }
    }

    @Test func theLastSegmentIsHandedOutBeforeTheEndOfInputIsKnown() throws {
        let sealed = try seal(Vector.plaintext, header: try Vector.header(), dataKey: Vector.dataKey)
        var reader = try SealedBlobReader(header: try Vector.header(), dataKey: Vector.dataKey)
        #expect(try reader.read(sealed[77...]) == Vector.plaintext)
        let sawLast = reader.hasReadLastSegment
        #expect(sawLast)
        #expect(try reader.nextSegment() == nil)
        #expect(try reader.finish() == [])
    }

    @Test func anInterruptedFileIsFinishedByCopyingItsAuthenticPrefixIntoANewFile() throws {
        let key = randomDataKey()
        let plaintext = randomBytes(100)
        var writer = try SealedBlobWriter(
            objectID: "rec_crash", keyReference: try Vector.keyReference(), dataKey: key, segmentSize: 32)
        var onDisk = try writer.append(plaintext.prefix(90))
        onDisk += try writer.flush()
        onDisk += try writer.append(plaintext.dropFirst(90))  // the process dies before the next flush
        _ = consume writer
        let recovered = SealedBlobReader.recover(onDisk, dataKey: key)
        #expect(recovered.stopReason == .missingLastSegment(afterSegments: 3))
        #expect(recovered.plaintext == Array(plaintext.prefix(90)))
        let finished = try seal(recovered.plaintext, objectID: "rec_crash", dataKey: key)
        #expect(try SealedBlobReader.open(finished, dataKey: key) == Array(plaintext.prefix(90)))
        #expect(try SealedBlobHeader.parse(finished).salt != (try SealedBlobHeader.parse(onDisk).salt))
    }

    @Test func aWriterRefusesToGiveTheFinalCounterToASegmentOtherThanTheLastAndStaysRefused() throws {
        var writer = try SealedBlobWriter(header: try Vector.header(), dataKey: Vector.dataKey)
        writer.nextCounter = UInt32.max - 1
        _ = try writer.append([1])
        #expect(try writer.flush().count == 4 + 1 + 16)  // counter 2^32 - 2
        _ = try writer.append([2])
        #expect(throws: SealedBlobError.tooManySegments) { try writer.flush() }
        #expect(throws: SealedBlobError.tooManySegments) { try writer.append([3]) }
        do {
            _ = try writer.finish()
            Issue.record("a failed writer finished")
        } catch {
            #expect(error == .tooManySegments)
        }

        var atLimit = try SealedBlobWriter(header: try Vector.header(), dataKey: Vector.dataKey)
        atLimit.nextCounter = UInt32.max
        let last = try atLimit.finish()  // the last segment may take the final counter
        #expect(last.count == 77 + 4 + 16)
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
