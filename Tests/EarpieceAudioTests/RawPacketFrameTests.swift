import Testing

@testable import EarpieceAudio

@Suite("Raw frames and format sniffing")
struct RawPacketFrameTests {
    @Test func aFrameRoundTripsThroughItsBytes() throws {
        let frame = RawPacketFrame(sequence: 0xDEAD_BEEF, captureTimeMicros: 0x0102_0304_0506_0708, packet: [0xFC, 1, 2, 3])
        let bytes = frame.serialized
        #expect(bytes.count == 16 + 4)
        #expect(try RawPacketFrame(parsing: bytes) == frame)
    }

    @Test func theHeaderMatchesTheDocumentedTestVector() throws {
        // docs/protocol.md, "Raw frames": sequence 7, capture time 140000 µs, packet FC FF FE.
        let vector: [UInt8] = [0x45, 0x50, 0x01, 0x00, 0x00, 0x00, 0x00, 0x07,
                               0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x22, 0xE0, 0xFC, 0xFF, 0xFE]
        let frame = try RawPacketFrame(parsing: vector)
        #expect(frame.sequence == 7)
        #expect(frame.captureTimeMicros == 140_000)
        #expect(frame.packet == [0xFC, 0xFF, 0xFE])
        #expect(frame.serialized == vector)
    }

    @Test("bad frames are refused with the reason", arguments: [
        ([UInt8](repeating: 0, count: 5), "truncated"),
        ([0x45, 0x51, 1, 0] + [UInt8](repeating: 0, count: 13), "malformed"),
        ([0x45, 0x50, 2, 0] + [UInt8](repeating: 0, count: 13), "unsupported"),
        ([0x45, 0x50, 1, 0x80] + [UInt8](repeating: 0, count: 13), "malformed"),
        ([0x45, 0x50, 1, 0] + [UInt8](repeating: 0, count: 12), "invalidOpusPacket"),
        ([0x45, 0x50, 1, 0] + [UInt8](repeating: 0, count: 12 + 8193), "tooLarge"),
    ])
    func badFramesAreRefused(bytes: [UInt8], kind: String) {
        do {
            _ = try RawPacketFrame(parsing: bytes)
            Issue.record("accepted a bad frame")
        } catch {
            #expect(String(describing: error).isEmpty == false)
            #expect("\(Self.kind(of: error))" == kind)
        }
    }

    @Test func randomMessagesNeverCrashTheParser() {
        var random = SeededRandom(seed: 5)
        for _ in 0..<5000 {
            var bytes = (0..<Int.random(in: 0...64, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            if Bool.random(using: &random) { bytes.replaceSubrange(0..<min(3, bytes.count), with: [0x45, 0x50, 0x01]) }
            _ = try? RawPacketFrame(parsing: bytes)
        }
    }

    @Test func theSnifferTellsTheContainersApart() throws {
        #expect(try AudioContainer.sniff(RawPacketFrame(sequence: 0, captureTimeMicros: 0, packet: [0xFC]).serialized) == .raw)
        #expect(try AudioContainer.sniff(Fixture.bytes("calls/mono-call.opus")) == .ogg)
        #expect(try AudioContainer.sniff(Fixture.bytes("calls/pricing-call.webm")) == .webm)
        // Too few bytes to tell is not an error: the caller waits for more.
        #expect(try AudioContainer.sniff([UInt8]()) == nil)
        #expect(try AudioContainer.sniff([0x4F, 0x67]) == nil)
        #expect(try AudioContainer.sniff([0x1A, 0x45, 0xDF]) == nil)
        #expect(throws: AudioFormatError.unrecognizedFormat) { try AudioContainer.sniff(Array("RIFF".utf8)) }
        #expect(throws: AudioFormatError.unrecognizedFormat) { try AudioContainer.sniff([0x4F, 0x68]) }
    }

    @Test func theSniffingDemuxerRefusesRawFramesAsAByteStream() {
        var demuxer = SniffingDemuxer()
        #expect(throws: AudioFormatError.self) {
            try demuxer.push(RawPacketFrame(sequence: 0, captureTimeMicros: 0, packet: [0xFC]).serialized)
        }
    }

    static func kind(of error: any Error) -> String {
        guard let error = error as? AudioFormatError else { return "other" }
        switch error {
        case .malformed: return "malformed"
        case .tooLarge: return "tooLarge"
        case .unsupported: return "unsupported"
        case .truncated: return "truncated"
        case .checksumMismatch: return "checksumMismatch"
        case .invalidOpusPacket: return "invalidOpusPacket"
        case .unrecognizedFormat: return "unrecognizedFormat"
        }
    }
}
