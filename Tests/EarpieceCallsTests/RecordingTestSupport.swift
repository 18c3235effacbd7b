import EarpieceAudio
import EarpieceStore
import EarpieceVault
import Foundation
import Logging

@testable import EarpieceCalls

/// Real Opus packets from a fixture call, each with what `CallRecorder.append` needs beside it.
struct FixturePackets: Sendable {
    let head: OpusHead
    let packets: [OpusStreamPacket]

    /// The first `count` packets of `Fixtures/calls/pricing-call.opus` (stereo, 20 ms packets).
    static func pricingCall(first count: Int) throws -> FixturePackets {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let bytes = Array(try Data(contentsOf: root.appendingPathComponent("Fixtures/calls/pricing-call.opus")))
        var reader = OggOpusReader()
        let packets = try reader.push(bytes)
        try reader.finish()
        guard let head = reader.head, packets.count >= count else { throw FixtureError.tooShort(packets.count) }
        return FixturePackets(head: head, packets: Array(packets.prefix(count)))
    }

    enum FixtureError: Error { case tooShort(Int) }

    var data: [[UInt8]] { packets.map(\.data) }

    func slice(_ range: Range<Int>) -> FixturePackets { FixturePackets(head: head, packets: Array(packets[range])) }
}

/// A data directory of its own: a real keyring, a real SQLite store and a blob directory, removed at the end.
final class RecordingBench: Sendable {
    let dataDirectory: String
    let store: SQLiteMetadataStore
    let keys: RecordingKeys
    let storage: RecordingStorage
    let scope = TenantScope.operatorScope(org: "org_a", env: .prod)
    let logger = Logger(label: "recording-test")

    init() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("recording-\(UUID().uuidString)")
        dataDirectory = url.path
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        keys = RecordingKeys(
            keyring: try Keyring.loadOrCreate(dataDirectory: dataDirectory), dataDirectory: dataDirectory)
        store = try SQLiteMetadataStore(dataDirectory: url)
        storage = RecordingStorage(store: store, keys: keys, blobDirectory: RecordingStorage.blobDirectory(in: url))
    }

    deinit { try? FileManager.default.removeItem(atPath: dataDirectory) }

    var archive: RecordingArchive { RecordingArchive(storage: storage) }

    func openCall(_ callID: String, startedAt: Date = Date()) async throws {
        try await store.createCall(
            CallRecord(
                scope: scope, id: callID, repUserID: "rep-1", startedAt: startedAt, resumeTokenHash: Data(count: 32)))
    }

    func recorder(callID: String, part: Int = 0) -> CallRecorder {
        CallRecorder(storage: storage, scope: scope, callID: callID, part: part, logger: logger)
    }

    /// Appends every packet, flushing after each `flushEvery`; returns the last `Durable` a flush gave.
    @discardableResult
    func append(_ audio: FixturePackets, to recorder: CallRecorder, flushEvery: Int? = nil) async throws
        -> CallRecorder.Durable?
    {
        var durable: CallRecorder.Durable?
        for (index, packet) in audio.packets.enumerated() {
            try await recorder.append(
                packet: packet.data, samples: try OpusPacketInfo(packet: packet.data).sampleCount,
                sequence: packet.sequence, head: audio.head)
            if let flushEvery, (index + 1) % flushEvery == 0, let flushed = try await recorder.flush() {
                durable = flushed
            }
        }
        return durable
    }

    /// Records one whole part: every packet, flushed every 25, then finished at `now`.
    func recordPart(
        _ audio: FixturePackets, callID: String, part: Int = 0, endingCall: Bool, now: Date = Date()
    ) async throws {
        let recorder = recorder(callID: callID, part: part)
        try await append(audio, to: recorder, flushEvery: 25)
        _ = try await recorder.flush()
        try await recorder.finish(endingCall: endingCall, now: now)
    }

    /// A call of one part, from open to end.
    func recordCall(_ audio: FixturePackets, callID: String, endedAt: Date = Date()) async throws {
        try await openCall(callID, startedAt: endedAt.addingTimeInterval(-60))
        try await recordPart(audio, callID: callID, endingCall: true, now: endedAt)
    }

    func parts(_ callID: String) async throws -> [RecordingRecord] {
        try await store.recordings(scope, callID: callID)
    }

    func path(of part: RecordingRecord) -> String { storage.absolutePath(part.path) }

    /// The packets of the call's export, which must parse as one whole Ogg Opus stream.
    func exportedPackets(_ callID: String) async throws -> [[UInt8]] {
        try Self.packets(inOgg: try await archive.exportBytes(scope, callID: callID))
    }

    /// Every packet of an Ogg Opus stream, which must be complete.
    static func packets(inOgg bytes: [UInt8]) throws -> [[UInt8]] {
        var reader = OggOpusReader()
        let packets = try reader.push(bytes).map(\.data)
        try reader.finish()
        guard reader.reachedEndOfStream else { throw ExportError.noEndOfStream }
        return packets
    }

    enum ExportError: Error { case noEndOfStream }
}

/// A fixed instant on a whole second: the database keeps dates to the millisecond, so the tests' clocks do too.
let startOfYear = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z

extension Date {
    func adding(days: Double) -> Date { addingTimeInterval(days * 86_400) }
    func adding(minutes: Double) -> Date { addingTimeInterval(minutes * 60) }
}

/// Whether `needle` occurs anywhere in `haystack`.
func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
    let needle = Array(needle.utf8)
    guard haystack.count >= needle.count else { return false }
    return (0...(haystack.count - needle.count)).contains { start in
        haystack[start..<(start + needle.count)].elementsEqual(needle)
    }
}

/// A small seeded generator, so that "random" offsets are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
