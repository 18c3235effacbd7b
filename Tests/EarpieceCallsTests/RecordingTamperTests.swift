import EarpieceAudio
import EarpieceStore
import Foundation
import Testing

@testable import EarpieceCalls

@Suite("Exporting a damaged recording")
struct RecordingTamperTests {
    /// A finished call of two parts; returns the part files' paths.
    private func recordedCall(_ bench: RecordingBench) async throws -> [String] {
        let audio = try FixturePackets.pricingCall(first: 400)
        try await bench.openCall("call-1")
        try await bench.recordPart(audio.slice(0..<200), callID: "call-1", part: 0, endingCall: false)
        try await bench.recordPart(audio.slice(200..<400), callID: "call-1", part: 1, endingCall: true)
        return try await bench.parts("call-1").map(bench.path(of:))
    }

    private func expectDamaged(_ bench: RecordingBench, sourceLocation: SourceLocation = #_sourceLocation) async {
        do {
            let bytes = try await bench.archive.exportBytes(bench.scope, callID: "call-1")
            Issue.record("export returned \(bytes.count) bytes of a damaged recording", sourceLocation: sourceLocation)
        } catch RecordingError.damaged {
        } catch {
            Issue.record("expected RecordingError.damaged, got \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: [0, 1])
    func aFlippedByteInTheMiddleOfAPartFailsTheExportRatherThanShortenIt(partIndex: Int) async throws {
        let bench = try RecordingBench()
        let path = try await recordedCall(bench)[partIndex]
        var bytes = try BlobFile.readAll(path)
        bytes[bytes.count / 2] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        await expectDamaged(bench)
    }

    @Test func aFinishedPartCutShortFailsTheExport() async throws {
        let bench = try RecordingBench()
        let path = try await recordedCall(bench)[1]
        let bytes = try BlobFile.readAll(path)
        try Data(bytes.dropLast(17)).write(to: URL(fileURLWithPath: path))

        await expectDamaged(bench)
    }

    @Test func partFilesSwappedBetweenPartsFailTheExport() async throws {
        let bench = try RecordingBench()
        let paths = try await recordedCall(bench)
        let first = try BlobFile.readAll(paths[0]), second = try BlobFile.readAll(paths[1])
        try Data(second).write(to: URL(fileURLWithPath: paths[0]))
        try Data(first).write(to: URL(fileURLWithPath: paths[1]))

        await expectDamaged(bench)
    }
}
