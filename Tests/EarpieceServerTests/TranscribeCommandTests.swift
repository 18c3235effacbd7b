import Foundation
import Testing

/// `earpiece transcribe` refuses what it cannot read with a message that says what to do, and exits non-zero.
@Suite("The transcribe command's refusals")
struct TranscribeCommandTests {
    private static func run(_ arguments: [String]) throws -> (status: Int32, errors: String) {
        let process = Process()
        process.executableURL = ChildServer.executable
        process.arguments = arguments
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let data = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    private static func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("transcribe-\(UUID().uuidString)-\(name)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A WAV header for `rate` Hz, `channels` channels, 16-bit, with a little silence.
    private static func wav(rate: Int, channels: Int) -> [UInt8] {
        func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
        func le16(_ v: Int) -> [UInt8] { (0..<2).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
        let data = [UInt8](repeating: 0, count: 3200)
        var bytes = Array("RIFF".utf8) + le32(36 + data.count) + Array("WAVE".utf8)
        bytes += Array("fmt ".utf8) + le32(16) + le16(1) + le16(channels) + le32(rate) + le32(rate * channels * 2)
            + le16(channels * 2) + le16(16)
        return bytes + Array("data".utf8) + le32(data.count) + data
    }

    @Test func aFileThatIsNeitherWAVNorOggIsRefused() throws {
        let path = try Self.file("notes.txt", Array("hello, not audio".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try Self.run(["transcribe", path])
        #expect(result.status != 0)
        #expect(result.errors.contains("is neither a WAV nor an Ogg Opus file"))
    }

    @Test func aWAVAtAnotherRateIsRefusedWithTheCommandThatConvertsIt() throws {
        let path = try Self.file("phone.wav", Self.wav(rate: 8_000, channels: 2))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try Self.run(["transcribe", path])
        #expect(result.status != 0)
        #expect(result.errors.contains("2-channel 16-bit 8000 Hz"))
        #expect(result.errors.contains("sox"))
    }

    @Test func anUnknownNoiseSuppressionLevelIsRefusedWithTheLevelsThereAre() throws {
        let audio = try Self.file("quiet.wav", Self.wav(rate: 16_000, channels: 1))
        defer { try? FileManager.default.removeItem(atPath: audio) }
        let result = try Self.run(["transcribe", audio, "--noise-suppression", "loud"])
        #expect(result.status != 0)
        #expect(result.errors.contains("'loud' is invalid for '--noise-suppression"))
        for level in ["off", "mild", "medium", "aggressive"] { #expect(result.errors.contains("'\(level)'")) }
        // Each named level is taken.
        #expect(try Self.run(["transcribe", audio, "--noise-suppression", "off"]).status == 0)
        #expect(try Self.run(["transcribe", audio, "--noise-suppression", "mild"]).status == 0)
    }

    @Test func aKeyphraseLineWithoutAUsableThresholdIsRefusedByLine() throws {
        let audio = try Self.file("quiet.wav", Self.wav(rate: 16_000, channels: 1))
        let phrases = try Self.file("phrases.txt", Array("too pricey|1e-20\nnext quarter|often\n".utf8))
        defer {
            try? FileManager.default.removeItem(atPath: audio)
            try? FileManager.default.removeItem(atPath: phrases)
        }
        let result = try Self.run(["transcribe", audio, "--keyphrases", phrases])
        #expect(result.status != 0)
        #expect(result.errors.contains("\(phrases):2: write `phrase|threshold`"))
    }
}
