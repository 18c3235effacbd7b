import Crypto
import Testing

@testable import EarpieceVault

@Suite("A sealed blob that was cut, edited or rearranged does not open")
struct SealedBlobTamperTests {
    /// 70 bytes in 32-byte segments: two full segments and a 6-byte last one.
    private func sealedVector() throws -> [UInt8] {
        try seal(Vector.plaintext, header: try Vector.header(), dataKey: Vector.dataKey)
    }

    private func expectRefused(_ sealed: [UInt8], key: SymmetricKey = Vector.dataKey) {
        #expect(throws: SealedBlobError.self) { try SealedBlobReader.open(sealed, dataKey: key) }
        #expect(!SealedBlobReader.recover(sealed, dataKey: key).isComplete)
    }

    @Test func aFileCutAtAnyByteNeverOpensAndRecoversExactlyItsWholeSegmentsBeforeTheCut() throws {
        let sealed = try sealedVector()
        let headerLength = 77
        let record = 32 + 16
        for cut in 0..<sealed.count {
            let truncated = Array(sealed.prefix(cut))
            #expect(throws: SealedBlobError.self) { try SealedBlobReader.open(truncated, dataKey: Vector.dataKey) }
            let recovered = SealedBlobReader.recover(truncated, dataKey: Vector.dataKey)
            let whole = cut < headerLength ? 0 : min((cut - headerLength) / record, 2)
            #expect(!recovered.isComplete, "cut at \(cut)")
            #expect(recovered.authenticSegments == whole, "cut at \(cut)")
            #expect(recovered.plaintext == Array(Vector.plaintext.prefix(whole * 32)), "cut at \(cut)")
        }
    }

    @Test func aFileEndingOnASegmentBoundaryIsReportedAsMissingItsLastSegment() throws {
        let parts = try SealedParts(try sealedVector())
        let cut = parts.header + parts.segments[0] + parts.segments[1]
        #expect(throws: SealedBlobError.missingLastSegment(afterSegments: 2)) {
            try SealedBlobReader.open(cut, dataKey: Vector.dataKey)
        }
    }

    @Test func bytesAfterTheLastSegmentAreRefused() throws {
        let sealed = try sealedVector()
        for garbage in [[0x00], randomBytes(16), randomBytes(48), randomBytes(100)] {
            expectRefused(sealed + garbage)
        }
        let recovered = SealedBlobReader.recover(sealed + [0], dataKey: Vector.dataKey)
        #expect(recovered.authenticSegments == 2)
    }

    @Test func reorderedDroppedOrDuplicatedSegmentsFailAuthentication() throws {
        let parts = try SealedParts(try sealedVector())
        let (a, b, last) = (parts.segments[0], parts.segments[1], parts.segments[2])
        for segments in [[b, a, last], [a, last], [b, last], [a, a, b, last], [a, b, b, last], [a, b, last, last]] {
            expectRefused(parts.header + segments.joined())
        }
        #expect(throws: SealedBlobError.authenticationFailed(segment: 0)) {
            try SealedBlobReader.open(parts.header + [b, a, last].joined(), dataKey: Vector.dataKey)
        }
    }

    @Test func aSegmentFromAnotherFileWithTheSameKeyAndObjectButAnotherSaltFailsAuthentication() throws {
        let mine = try SealedParts(try sealedVector())
        let otherHeader = try Vector.header(salt: Array(UInt8(0x40)...UInt8(0x5f)))
        let theirs = try SealedParts(try seal(Vector.plaintext, header: otherHeader, dataKey: Vector.dataKey))
        for index in 0..<3 {
            var spliced = mine
            spliced.segments[index] = theirs.segments[index]
            expectRefused(spliced.joined)
        }
        // Same body under the other header: the header is associated data, so this fails too.
        expectRefused(theirs.header + mine.segments.joined())
    }

    @Test func aSegmentFromAnotherObjectUnderTheSameKeyAndSaltFailsAuthentication() throws {
        let mine = try SealedParts(try sealedVector())
        let otherHeader = try Vector.header(objectID: "rec_other")
        let theirs = try SealedParts(try seal(Vector.plaintext, header: otherHeader, dataKey: Vector.dataKey))
        for index in 0..<3 {
            var spliced = mine
            spliced.segments[index] = theirs.segments[index]
            expectRefused(spliced.joined)
        }
        expectRefused(theirs.header + mine.segments.joined())
    }

    @Test func flippingAnyBitOfTheHeaderOrASegmentIsRefused() throws {
        let sealed = try sealedVector()
        for byte in 0..<sealed.count {
            for bit in 0..<8 {
                var flipped = sealed
                flipped[byte] ^= UInt8(1) << UInt8(bit)
                #expect(throws: SealedBlobError.self, "byte \(byte) bit \(bit)") {
                    try SealedBlobReader.open(flipped, dataKey: Vector.dataKey)
                }
            }
        }
    }

    @Test func aWrongDataKeyFailsTheFirstSegment() throws {
        let sealed = try sealedVector()
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
        var parts = try SealedParts(try sealedVector())
        parts.segments[0][0] ^= 1
        let header = try SealedBlobHeader.parse(parts.header)
        var reader = try SealedBlobReader(header: header, dataKey: Vector.dataKey)
        #expect(throws: SealedBlobError.authenticationFailed(segment: 0)) { try reader.read(parts.segments.joined()) }
        #expect(throws: SealedBlobError.authenticationFailed(segment: 0)) { try reader.nextSegment() }
    }

    @Test func recoveryStopsAtADamagedMiddleSegmentAndKeepsOnlyWhatCameBefore() throws {
        var parts = try SealedParts(try sealedVector())
        parts.segments[1][5] ^= 0x80
        let recovered = SealedBlobReader.recover(parts.joined, dataKey: Vector.dataKey)
        #expect(recovered.stopReason == .authenticationFailed(segment: 1))
        #expect(recovered.authenticSegments == 1)
        #expect(recovered.plaintext == Array(Vector.plaintext.prefix(32)))
    }

    @Test func aSegmentOpensOnlyWithTheLastFlagItWasSealedWith() throws {
        let parts = try SealedParts(try sealedVector())
        let cipher = try SealedBlobSegmentCipher(dataKey: Vector.dataKey, header: try Vector.header())
        #expect(throws: SealedBlobError.authenticationFailed(segment: 1)) {
            try cipher.open(parts.segments[1][...], counter: 1, isLast: true)
        }
        #expect(throws: SealedBlobError.authenticationFailed(segment: 2)) {
            try cipher.open(parts.segments[2][...], counter: 2, isLast: false)
        }
        #expect(try cipher.open(parts.segments[2][...], counter: 2, isLast: true) == Array(Vector.plaintext[64...]))
    }
}
