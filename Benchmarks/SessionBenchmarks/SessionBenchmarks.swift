import Benchmark
import EarpieceAudio
import EarpieceCalls
import EarpieceGuidance
import Foundation
import GuidanceFixtures
import Logging
import ProcessCPUClock

/// What the session benchmarks read, loaded once per process in each benchmark's setup, so never measured.
enum SessionInput {
    static let assets = GuidanceAssets()
    /// Room for one stereo call per kind: decoders load in the warm-up iteration and are reused after, as the
    /// gateway's pool reuses them from call to call.
    static let resources = assets.resources(calls: 1)
    static let dataDirectory: BenchmarkDataDirectory = {
        do { return try BenchmarkDataDirectory() } catch { fatalError("no data directory for the benchmark: \(error)") }
    }()

    /// The pricing call as a client sends the file: all 105.5 s.
    static let wholeCall = messages(fixture())
    /// Its first 30 s (1,500 packets, 9 turns) as an Ogg Opus file of their own, written by our Ogg writer.
    static let first30Seconds = messages(firstPackets(1_500, of: fixture()))

    static let configuration = CallSessionConfiguration(
        pacing: .lossless, idleTimeout: .seconds(3_600), sendsTranscripts: true)
    static let logger: Logger = {
        var logger = Logger(label: "earpiece.benchmark")
        logger.logLevel = .warning
        return logger
    }()

    static func load() {
        blackHole(wholeCall.count + first30Seconds.count)
        blackHole(resources.richestTier)
        blackHole(dataDirectory.path)
    }

    private static func fixture() -> [UInt8] {
        let url = FixtureCall.repositoryRoot.appendingPathComponent("Fixtures/calls/pricing-call.opus")
        guard let data = try? Data(contentsOf: url) else { fatalError("missing fixture \(url.path)") }
        return Array(data)
    }

    private static func firstPackets(_ count: Int, of file: [UInt8]) -> [UInt8] {
        do {
            var reader = OggOpusReader()
            let packets = try reader.push(file)
            guard let head = reader.head else { fatalError("the fixture has no OpusHead") }
            var writer = OggOpusWriter(head: head, serial: 0x4550_5342)
            var out = writer.headerPages()
            for packet in packets.prefix(count) { out += try writer.append(packet.data) }
            return out + writer.finish()
        } catch {
            fatalError("the fixture does not parse: \(error)")
        }
    }

    /// A client sending `bytes` as `earpiece replay` does: 4 KiB binary messages, then `close`.
    private static func messages(_ bytes: [UInt8]) -> [CallInput] {
        stride(from: 0, to: bytes.count, by: 4096).map { .audio(Array(bytes[$0..<min(bytes.count, $0 + 4096)])) }
            + [.text(#"{"type":"close"}"#)]
    }

    /// Runs one call through a `CallSession` in `tier`, recorded into the data directory unless `recorded` is
    /// false (as `earpiece replay` runs it), and returns how its stream ended.
    static func run(
        _ tier: GuidanceTier, audio: [CallInput], recorded: Bool, client: MessageTally
    ) async throws -> CallEnd {
        var callID = "replay"
        var recorder: CallRecorder?
        if recorded {
            callID = try await dataDirectory.openCall()
            recorder = CallRecorder(
                storage: dataDirectory.storage, scope: dataDirectory.scope, callID: callID, part: 0, logger: logger)
        }
        let session = CallSession(
            callID: callID, sessionID: RandomID.make(prefix: "sess"), channels: 2, container: .auto,
            configuration: configuration, recorder: recorder,
            speech: assets.lease(tier, channelCount: 2, from: resources), logger: logger)
        let input = AsyncStream<CallInput> { continuation in
            for message in audio { continuation.yield(message) }
            continuation.finish()
        }
        return await session.run(input: input) { client.send($0) }
    }
}

let benchmarks: @Sendable () -> Void = {
    // One iteration: a call opened in the store, its session run over the audio as a client sends it (demux,
    // Opus decode, guidance in the tier, every message encoded to JSON), its recording sealed into a part file
    // in a temporary blob directory (written and fsynced at each flush, every 500 ms of wall time, and at the
    // end) and the call ended in the store. CPU ÷ seconds of audio is the figure docs/performance.md reports.
    let cases: [(tier: GuidanceTier, audio: String, recorded: Bool, iterations: Int)] = [
        (.dynamics, "whole pricing-call (105.5 s)", true, 50),
        (.dynamics, "whole pricing-call (105.5 s)", false, 50),
        (.keyphrase, "30 s of pricing-call", true, 20),
        (.transcript, "30 s of pricing-call", true, 6),
    ]
    for (tier, audio, recorded, iterations) in cases {
        let recording = recorded ? "recorded to a temp blob directory (write + fsync)" : "not recorded (as earpiece replay)"
        let configuration = Benchmark.Configuration(
            metrics: [.cpuTotal, .cpuUser, .cpuSystem, ProcessCPUClock.metric, .wallClock, .mallocCountTotal],
            // Exact counts: the automatic unit would round 39,123 mallocs to "39 K".
            units: ProcessCPUClock.units.merging([.mallocCountTotal: .count]) { _, exact in exact },
            scalingFactor: .one,
            maxDuration: .seconds(tier == .transcript ? 60 : 20),
            maxIterations: iterations,
            setup: { SessionInput.load() },
            teardown: { try SessionInput.dataDirectory.remove() })
        Benchmark("Session: \(tier.rawValue) tier, stereo, \(audio), \(recording)", configuration: configuration) {
            benchmark in
            let messages = tier == .dynamics ? SessionInput.wholeCall : SessionInput.first30Seconds
            for _ in benchmark.scaledIterations {
                let cpu = ProcessCPUClock()
                let client = MessageTally()
                let end = try await SessionInput.run(tier, audio: messages, recorded: recorded, client: client)
                guard end.code == .normal else {
                    benchmark.error("the session ended with \(end.code): \(end.reason)")
                    return
                }
                blackHole(client.bytes)
                cpu.record(in: benchmark)
            }
        }
    }
}
