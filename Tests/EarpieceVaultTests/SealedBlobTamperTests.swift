import Crypto
import Testing

@testable import EarpieceVault

@Suite("A sealed blob that was cut, extended, edited or rearranged does not open")
struct SealedBlobTamperTests {
    /// 100 bytes in 32-byte segments, written as append 10, flush, append 40, flush, append 50, finish: records of
    /// 10, 32, 8 and 32 bytes, then a last one of 18, so that short non-last segments are among those attacked.
    static let plan = SealedBlobWritePlan(steps: [
        .init(appendCount: 10, flushAfter: true), .init(appendCount: 40, flushAfter: true),
        .init(appendCount: 50, flushAfter: false),
    ])
    static let plaintext = Array(UInt8(0)..<UInt8(100))

    private func sealedWithFlushes(
        salt: [UInt8] = Vector.salt, objectID: String = Vector.objectID
    ) throws -> [UInt8] {
        try Self.plan.seal(
            Self.plaintext, header: try Vector.header(salt: salt, objectID: objectID), dataKey: Vector.dataKey)
    }

    /// Checks that a strict open throws `error` and that recovery keeps exactly the first `authentic` segments.
    private func expectRefused(
        _ sealed: [UInt8], with error: SealedBlobError, keeping authentic: Int,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        #expect(throws: error, sourceLocation: sourceLocation) {
            try SealedBlobReader.open(sealed, dataKey: Vector.dataKey)
        }
        let boundaries = try SealedBlobRecords(try sealedWithFlushes()).plaintextBoundaries
        let recovered = SealedBlobReader.recover(sealed, dataKey: Vector.dataKey)
        #expect(
            recovered == SealedBlobRecovery(
                plaintext: Array(Self.plaintext.prefix(boundaries[authentic])), authenticSegments: authentic,
                stopReason: error),
            sourceLocation: sourceLocation)
    }

    @Test func theFixtureHasShortNonLastSegments() throws {
        let records = try SealedBlobRecords(try sealedWithFlushes())
        #expect(records.descriptors.map(\.length) == [10, 32, 8, 32, 18])
        #expect(records.descriptors.map(\.isLast) == [false, false, false, false, true])
    }

    @Test func truncationAtEveryByteIsDetected() throws {
        let sealed = try sealedWithFlushes()
        let records = try SealedBlobRecords(sealed)
        for cut in 0..<sealed.count {
            let truncated = Array(sealed.prefix(cut))
            let expected: SealedBlobError
            var authentic = 0
            if cut < SealedBlobHeader.lengthPrefixBytes {
                expected = .truncatedHeader(have: cut, need: SealedBlobHeader.lengthPrefixBytes)
            } else if cut < records.header.count {
                expected = .truncatedHeader(have: cut, need: records.header.count)
            } else {
                authentic = records.recordBoundaries.lastIndex { $0 <= cut } ?? 0
                let have = cut - records.recordBoundaries[authentic]
                if have == 0 {
                    expected = .missingLastSegment(afterSegments: authentic)
                } else {
                    let need = have < 4 ? 4 : records.records[authentic].count
                    expected = .truncatedSegment(segment: authentic, have: have, need: need)
                }
            }
            try expectRefused(truncated, with: expected, keeping: authentic)
        }
    }

    @Test func bytesAfterTheLastSegmentAreRefused() throws {
        let sealed = try sealedWithFlushes()
        let records = try SealedBlobRecords(sealed)
        for garbage in [[0x00], randomBytes(3), randomBytes(16), records.records[4], sealed] {
            try expectRefused(sealed + garbage, with: .bytesAfterLastSegment(count: garbage.count), keeping: 5)
        }
        // Incrementally, one byte after the last segment is refused as soon as it arrives.
        var reader = try SealedBlobReader(header: try Vector.header(), dataKey: Vector.dataKey)
        #expect(try reader.read(sealed[records.header.count...]) == Self.plaintext)
        #expect(throws: SealedBlobError.bytesAfterLastSegment(count: 1)) { try reader.read([0]) }
    }

    @Test func extendingAFileByClearingItsLastFlagFailsTheOldLastSegment() throws {
        var records = try SealedBlobRecords(try sealedWithFlushes())
        let longer = try SealedBlobRecords(
            try seal(Array(Self.plaintext) + randomBytes(40), header: try Vector.header(), dataKey: Vector.dataKey))
        records.setDescriptor(of: 4, length: 18, isLast: false)
        records.records.append(longer.records.last ?? [])
        try expectRefused(records.joined, with: .authenticationFailed(segment: 4), keeping: 4)
    }

    @Test func reorderedDroppedOrDuplicatedSegmentsFailAuthentication() throws {
        let parts = try SealedBlobRecords(try sealedWithFlushes())
        let r = parts.records
        let cases: [(records: [[UInt8]], error: SealedBlobError, authentic: Int)] = [
            ([r[1], r[0], r[2], r[3], r[4]], .authenticationFailed(segment: 0), 0),
            ([r[0], r[2], r[1], r[3], r[4]], .authenticationFailed(segment: 1), 1),
            ([r[0], r[2], r[3], r[4]], .authenticationFailed(segment: 1), 1),
            ([r[0], r[1], r[2], r[4]], .authenticationFailed(segment: 3), 3),
            ([r[0], r[0], r[1], r[2], r[3], r[4]], .authenticationFailed(segment: 1), 1),
            ([r[0], r[1], r[2], r[2], r[3], r[4]], .authenticationFailed(segment: 3), 3),
            ([r[0], r[4]], .authenticationFailed(segment: 1), 1),
            ([r[0], r[1], r[2], r[3]], .missingLastSegment(afterSegments: 4), 4),
            ([r[0], r[1], r[2], r[3], r[4], r[4]], .bytesAfterLastSegment(count: r[4].count), 5),
        ]
        for (records, error, authentic) in cases {
            try expectRefused(parts.header + records.joined(), with: error, keeping: authentic)
        }
    }

    @Test(arguments: [
        (Array(UInt8(0x40)...UInt8(0x5f)), Vector.objectID),  // same key and object, another salt
        (Vector.salt, "rec_other"),  // same key and salt, another object
    ])
    func aSegmentFromAnotherFileFailsAuthentication(salt: [UInt8], objectID: String) throws {
        let mine = try SealedBlobRecords(try sealedWithFlushes())
        let theirs = try SealedBlobRecords(try sealedWithFlushes(salt: salt, objectID: objectID))
        // Same plan, same plaintext: every record has the same length as the one it replaces.
        #expect(theirs.descriptors == mine.descriptors)
        for index in mine.records.indices {
            var spliced = mine
            spliced.records[index] = theirs.records[index]
            try expectRefused(spliced.joined, with: .authenticationFailed(segment: index), keeping: index)
        }
        // Their header over my records: the header is associated data and derives the key, so segment 0 fails.
        #expect(throws: SealedBlobError.authenticationFailed(segment: 0)) {
            try SealedBlobReader.open(theirs.header + mine.records.joined(), dataKey: Vector.dataKey)
        }
    }

    @Test func flippingTheLastFlagInAnyDescriptorFailsThatSegment() throws {
        let sealed = try sealedWithFlushes()
        let original = try SealedBlobRecords(sealed)
        for index in original.records.indices {
            var records = original
            records.records[index][0] ^= 0x80
            try expectRefused(records.joined, with: .authenticationFailed(segment: index), keeping: index)
            // Cutting the file right after a segment that now claims to be last does not help.
            records.records.removeSubrange((index + 1)...)
            try expectRefused(records.joined, with: .authenticationFailed(segment: index), keeping: index)
        }
        // An empty last segment that loses its flag is an empty non-last one, refused by length.
        var empty = try SealedBlobRecords(
            try seal(Array(Self.plaintext.prefix(64)), header: try Vector.header(), dataKey: Vector.dataKey))
        empty.records[2][0] ^= 0x80
        #expect(throws: SealedBlobError.emptySegmentBeforeLast(segment: 2)) {
            try SealedBlobReader.open(empty.joined, dataKey: Vector.dataKey)
        }
    }

    @Test func changingADescriptorLengthIsRefused() throws {
        let original = try SealedBlobRecords(try sealedWithFlushes())
        for (index, descriptor) in original.descriptors.enumerated() {
            let record = original.records[index].count
            for length in [descriptor.length - 1, descriptor.length + 1, 0, 31, 32, 33, 0x10_0000, 0x7fff_ffff]
            where length >= 0 && length != descriptor.length {
                let error: SealedBlobError
                if length > 32 {
                    // Refused on the descriptor alone, before the reader waits for or buffers the declared bytes.
                    error = .segmentLengthOutOfRange(segment: index, length: length, segmentSize: 32)
                } else if length == 0, !descriptor.isLast {
                    error = .emptySegmentBeforeLast(segment: index)
                } else if descriptor.isLast, length > descriptor.length {
                    // Nothing follows the last record, so a longer one runs past the end of the file.
                    error = .truncatedSegment(segment: index, have: record, need: record + length - descriptor.length)
                } else {
                    error = .authenticationFailed(segment: index)
                }
                var records = original
                records.setDescriptor(of: index, length: length, isLast: descriptor.isLast)
                try expectRefused(records.joined, with: error, keeping: index)
            }
        }
    }

    @Test(arguments: [UInt32(0x7fff_ffff), 0xffff_ffff, 33, 0x0010_0001, 0])
    func aHostileLengthIsRefusedBeforeItsBytesArrive(raw: UInt32) throws {
        var reader = try SealedBlobReader(header: try Vector.header(), dataKey: Vector.dataKey)
        reader.push([24, 16, 8, 0].map { UInt8(truncatingIfNeeded: raw >> $0) })
        #expect(throws: SealedBlobError.self) { try reader.nextSegment() }
        if raw == 0 {
            #expect(throws: SealedBlobError.emptySegmentBeforeLast(segment: 0)) { try reader.nextSegment() }
        } else {
            let length = Int(raw & 0x7fff_ffff)
            #expect(throws: SealedBlobError.segmentLengthOutOfRange(segment: 0, length: length, segmentSize: 32)) {
                try reader.nextSegment()
            }
        }
    }

    @Test func aFileWhoseSegmentsShiftTheirBoundaryFailsTheFirstShiftedSegment() throws {
        // Moving two bytes from segment 2 to segment 1 keeps every record well formed but fails segment 1.
        var records = try SealedBlobRecords(try sealedWithFlushes())
        records.setDescriptor(of: 0, length: 12, isLast: false)
        records.setDescriptor(of: 1, length: 30, isLast: false)
        try expectRefused(records.joined, with: .authenticationFailed(segment: 0), keeping: 0)
    }

    @Test func editingAnyHeaderByteYieldsNoPlaintext() throws {
        let sealed = try sealedWithFlushes()
        for byte in 0..<77 {
            for bit in 0..<8 {
                var flipped = sealed
                flipped[byte] ^= UInt8(1) << UInt8(bit)
                #expect(throws: SealedBlobError.self, "byte \(byte) bit \(bit)") {
                    try SealedBlobReader.open(flipped, dataKey: Vector.dataKey)
                }
                let recovered = SealedBlobReader.recover(flipped, dataKey: Vector.dataKey)
                #expect(recovered.plaintext.isEmpty, "byte \(byte) bit \(bit)")
                #expect(recovered.authenticSegments == 0, "byte \(byte) bit \(bit)")
            }
        }
    }

    @Test func flippingAnyBitOfASegmentRecordFailsThatSegment() throws {
        let sealed = try sealedWithFlushes()
        let records = try SealedBlobRecords(sealed)
        for byte in 77..<sealed.count {
            let segment = records.recordBoundaries.lastIndex { $0 <= byte } ?? 0
            for bit in 0..<8 {
                var flipped = sealed
                flipped[byte] ^= UInt8(1) << UInt8(bit)
                #expect(throws: SealedBlobError.self, "byte \(byte) bit \(bit)") {
                    try SealedBlobReader.open(flipped, dataKey: Vector.dataKey)
                }
                let recovered = SealedBlobReader.recover(flipped, dataKey: Vector.dataKey)
                #expect(recovered.authenticSegments == segment, "byte \(byte) bit \(bit)")
                #expect(recovered.plaintext == Array(Self.plaintext.prefix(records.plaintextBoundaries[segment])))
            }
        }
    }

    @Test func aWrongDataKeyFailsTheFirstSegment() throws {
        let sealed = try sealedWithFlushes()
        #expect(throws: SealedBlobError.authenticationFailed(segment: 0)) {
            try SealedBlobReader.open(sealed, dataKey: randomDataKey())
        }
        #expect(throws: SealedBlobError.invalidDataKey(byteCount: 16)) {
            try SealedBlobReader.open(sealed, dataKey: SymmetricKey(size: .bits128))
        }
        let recovered = SealedBlobReader.recover(sealed, dataKey: randomDataKey())
        #expect(recovered.authenticSegments == 0)
        #expect(recovered.plaintext.isEmpty)
    }

    @Test func aReaderThatFailedKeepsFailing() throws {
        var records = try SealedBlobRecords(try sealedWithFlushes())
        records.records[0][6] ^= 1
        var reader = try SealedBlobReader(header: try Vector.header(), dataKey: Vector.dataKey)
        #expect(throws: SealedBlobError.authenticationFailed(segment: 0)) { try reader.read(records.records.joined()) }
        #expect(throws: SealedBlobError.authenticationFailed(segment: 0)) { try reader.nextSegment() }
        do {
            _ = try reader.finish()
            Issue.record("a failed reader finished")
        } catch {
            #expect(error == .authenticationFailed(segment: 0))
        }
    }

    @Test func recoveryStopsAtADamagedMiddleSegmentAndKeepsOnlyWhatCameBefore() throws {
        var records = try SealedBlobRecords(try sealedWithFlushes())
        records.records[2][9] ^= 0x80
        try expectRefused(records.joined, with: .authenticationFailed(segment: 2), keeping: 2)
        #expect(SealedBlobReader.recover(records.joined, dataKey: Vector.dataKey).plaintext
            == Array(Self.plaintext.prefix(42)))
    }
}
