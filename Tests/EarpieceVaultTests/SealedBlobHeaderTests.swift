import Testing

@testable import EarpieceVault

@Suite("Sealed-blob headers outside the format's bounds")
struct SealedBlobHeaderTests {
    private func vectorHeaderBytes() throws -> [UInt8] { try Vector.header().encoded() }

    @Test func bytesThatAreNotASealedBlobAreRecognisedAsSuch() throws {
        #expect(throws: SealedBlobError.notASealedBlob) { try SealedBlobHeader.parse(Array("OggS....".utf8)) }
        #expect(throws: SealedBlobError.truncatedHeader(have: 0, need: 7)) { try SealedBlobHeader.parse([]) }
        #expect(throws: SealedBlobError.truncatedHeader(have: 2, need: 7)) { try SealedBlobHeader.parse([0x45, 0x50]) }
    }

    @Test func theHeaderIsVersionTwo() throws {
        #expect(try vectorHeaderBytes()[4] == 2)
        #expect(SealedBlobHeader.currentVersion == 2)
    }

    @Test func aRetiredVersionOneHeaderIsRefusedAndSaysWhy() throws {
        var bytes = try vectorHeaderBytes()
        bytes[4] = 1
        #expect(throws: SealedBlobError.unsupportedVersion(1)) { try SealedBlobHeader.parse(bytes) }
        #expect(throws: SealedBlobError.unsupportedVersion(1)) { try SealedBlobHeader.declaredLength(in: bytes) }
        let message = SealedBlobError.unsupportedVersion(1).description
        #expect(message.contains("version 1 is retired"))
        #expect(message.contains("reads version 2"))
        #expect(!message.contains("upgrade"))
    }

    @Test(arguments: [UInt8(0), 3, 0xff])
    func anUnknownVersionIsRefusedByNumber(version: UInt8) throws {
        var bytes = try vectorHeaderBytes()
        bytes[4] = version
        #expect(throws: SealedBlobError.unsupportedVersion(version)) { try SealedBlobHeader.parse(bytes) }
        if version > 2 { #expect(SealedBlobError.unsupportedVersion(version).description.contains("upgrade")) }
    }

    @Test(arguments: [0, 1, 59, 218, 0x7fff, 0xffff])
    func anAbsurdHeaderLengthIsATypedErrorBeforeAnythingIsBuffered(length: Int) throws {
        var bytes = try vectorHeaderBytes()
        bytes[5] = UInt8(length >> 8)
        bytes[6] = UInt8(length & 0xff)
        #expect(throws: SealedBlobError.headerLengthOutOfRange(length)) { try SealedBlobHeader.parse(bytes) }
    }

    @Test func aHeaderLengthThatDisagreesWithItsFieldsIsMalformed() throws {
        var bytes = try vectorHeaderBytes()
        bytes[6] += 1
        #expect(throws: SealedBlobError.truncatedHeader(have: 77, need: 78)) { try SealedBlobHeader.parse(bytes) }
        #expect(throws: SealedBlobError.self) { try SealedBlobHeader.parse(bytes + [0]) }
        bytes[6] -= 2
        #expect(throws: SealedBlobError.self) { try SealedBlobHeader.parse(bytes) }
    }

    @Test(arguments: [0, 1, 15, 1024 * 1024 + 1, Int(UInt32.max)])
    func anAbsurdSegmentSizeIsATypedError(size: Int) throws {
        var bytes = try vectorHeaderBytes()
        for (index, shift) in [24, 16, 8, 0].enumerated() {
            bytes[7 + index] = UInt8(truncatingIfNeeded: size >> shift)
        }
        #expect(throws: SealedBlobError.segmentSizeOutOfRange(size)) { try SealedBlobHeader.parse(bytes) }
        #expect(throws: SealedBlobError.segmentSizeOutOfRange(size)) {
            _ = try SealedBlobWriter(
                objectID: "rec_test", keyReference: try Vector.keyReference(), dataKey: Vector.dataKey,
                segmentSize: size)
        }
    }

    @Test func stringFieldsAreBoundedOnWriteAndOnRead() throws {
        #expect(throws: SealedBlobError.self) {
            _ = try SealedBlobWriter(objectID: "", keyReference: try Vector.keyReference(), dataKey: Vector.dataKey)
        }
        #expect(throws: SealedBlobError.self) {
            _ = try SealedBlobWriter(
                objectID: String(repeating: "x", count: 65), keyReference: try Vector.keyReference(),
                dataKey: Vector.dataKey)
        }
        #expect(throws: SealedBlobError.self) { _ = try SealedBlobKeyReference(org: "", env: "prod", kekVersion: 1) }
        #expect(throws: SealedBlobError.self) {
            _ = try SealedBlobKeyReference(org: "o", env: String(repeating: "e", count: 33), kekVersion: 1)
        }
        var bytes = try vectorHeaderBytes()
        bytes[50] = 0  // object id length
        #expect(throws: SealedBlobError.self) { try SealedBlobHeader.parse(bytes) }
        bytes[50] = 200
        #expect(throws: SealedBlobError.self) { try SealedBlobHeader.parse(bytes) }
        bytes = try vectorHeaderBytes()
        bytes[51] = 0xff  // not UTF-8
        #expect(throws: SealedBlobError.malformedHeader("the object id is not valid UTF-8")) {
            try SealedBlobHeader.parse(bytes)
        }
    }

    @Test func everyLengthFromTheShortestToTheLongestHeaderRoundTrips() throws {
        let shortest = try SealedBlobHeader(
            segmentSize: 16, salt: randomBytes(32), noncePrefix: randomBytes(7), objectID: "r",
            keyReference: try SealedBlobKeyReference(org: "o", env: "e", kekVersion: 0))
        let longest = try SealedBlobHeader(
            segmentSize: 1024 * 1024, salt: randomBytes(32), noncePrefix: randomBytes(7),
            objectID: String(repeating: "é", count: 32),
            keyReference: try SealedBlobKeyReference(
                org: String(repeating: "o", count: 64), env: String(repeating: "e", count: 32), kekVersion: .max))
        #expect(shortest.encoded().count == SealedBlobHeader.minimumLength)
        #expect(longest.encoded().count == SealedBlobHeader.maximumLength)
        #expect(try SealedBlobHeader.parse(shortest.encoded()) == shortest)
        #expect(try SealedBlobHeader.parse(longest.encoded()) == longest)
    }

    @Test func errorDescriptionsNameTheProblemWithoutKeyMaterial() {
        let message = SealedBlobError.authenticationFailed(segment: 3).description
        #expect(message.contains("segment 3"))
        #expect(message.contains("recovery"))
        #expect(SealedBlobError.invalidDataKey(byteCount: 16).description.contains("32 bytes"))
        let damaged: [SealedBlobError] = [
            .segmentLengthOutOfRange(segment: 4, length: 99, segmentSize: 32), .emptySegmentBeforeLast(segment: 4),
            .truncatedSegment(segment: 4, have: 9, need: 52), .missingLastSegment(afterSegments: 4),
        ]
        for error in damaged {
            #expect(error.description.contains("4"), "\(error)")
            #expect(error.description.contains("recovery"), "\(error)")
        }
        #expect(SealedBlobError.bytesAfterLastSegment(count: 5).description.contains("5 byte(s)"))
    }
}
