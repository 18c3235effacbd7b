import Benchmark
import Crypto
import EarpieceAudio
import EarpieceVault
import Foundation
import ProcessCPUClock

/// What the vault benchmarks read: the pricing call's packets, the keys, and its recording sealed in both
/// cadences. Built when the benchmarks register (their names carry the segment counts), never measured.
enum VaultInput {
    static let fixture = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/calls/pricing-call.opus")

    /// As long as the recording ids the recorder makes (`rec_` and 32 hex digits): the header, which every
    /// segment authenticates, is then as long as a real part file's.
    static let objectID = "rec_" + String(repeating: "0123456789abcdef", count: 2)
    static let keyReference: SealedBlobKeyReference = {
        do { return try SealedBlobKeyReference(org: "org_benchmark", env: "prod", kekVersion: 1) } catch {
            fatalError("the benchmark's key reference is refused: \(error)")
        }
    }()
    static let dataKey = SymmetricKey(size: .bits256)
    /// Its own key, as long as our file key.
    static let bare = BareAESGCM(key: SymmetricKey(size: .bits256))

    /// The stereo pricing call: 105.5 s, 5,275 packets of 20 ms.
    static let packets: (head: OpusHead, packets: [OpusStreamPacket]) = {
        guard let data = try? Data(contentsOf: fixture) else {
            fatalError("missing fixture \(fixture.path): run from a checkout of Earpiece")
        }
        do {
            var reader = OggOpusReader()
            let packets = try reader.push(Array(data))
            try reader.finish()
            guard let head = reader.head else { fatalError("the fixture has no OpusHead") }
            return (head, packets)
        } catch {
            fatalError("the fixture does not parse: \(error)")
        }
    }()

    /// A live call: the recorder flushes every 500 ms of audio, 25 packets, so each segment is half a second.
    static let live = recording(cadence: "live, flush every 500 ms of audio", flushEveryPackets: 25)
    /// An upload faster than real time, at its most favourable: no flush until the end, so segments fill.
    static let upload = recording(cadence: "upload, flushed only at the end", flushEveryPackets: nil)

    private static func recording(cadence: String, flushEveryPackets: Int?) -> SealedRecording {
        do {
            let plaintext = try RecordingPlaintext(
                packets: packets.packets, head: packets.head, flushEveryPackets: flushEveryPackets)
            return try SealedRecording(cadence: cadence, plaintext: plaintext)
        } catch {
            fatalError("the fixture's recording does not seal: \(error)")
        }
    }

    /// Where the on-disk rows write their part file: the temporary directory, on this box the same disk as a
    /// gateway's data directory.
    static let scratchDirectory = FileManager.default.temporaryDirectory
        .appendingPathComponent("earpiece-vault-benchmark-\(ProcessInfo.processInfo.processIdentifier)").path

    static func makeScratchDirectory() throws {
        try FileManager.default.createDirectory(atPath: scratchDirectory, withIntermediateDirectories: true)
    }

    static func removeScratchDirectory() throws {
        try FileManager.default.removeItem(atPath: scratchDirectory)
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.cpuTotal, ProcessCPUClock.metric, .wallClock, .mallocCountTotal],
        units: ProcessCPUClock.units,
        scalingFactor: .one,
        maxDuration: .seconds(5),
        maxIterations: 1_000
    )
    let bare = VaultInput.bare

    // One iteration seals, or opens, the whole 105.5 s recording: the Ogg stream the recorder writes (header
    // pages, a page per flush or per second, the end-of-stream page). Ours against bare is the ratio the doc
    // reports; both write into an array reserved up front, so neither row measures the harness's growth.
    for recording in [VaultInput.live, VaultInput.upload] {
        let size = "\(recording.plaintext.byteCount) B Ogg, \(recording.segmentSummary)"

        Benchmark("Seal: SealedBlobWriter, \(recording.cadence) (\(size)), in memory, no file I/O") { benchmark in
            for _ in benchmark.scaledIterations {
                let cpu = ProcessCPUClock()
                var sink = SealedSink(reservingCapacity: recording.file.count)
                try recording.plaintext.seal(
                    objectID: VaultInput.objectID, keyReference: VaultInput.keyReference,
                    dataKey: VaultInput.dataKey, into: &sink)
                blackHole(sink.count)
                cpu.record(in: benchmark)
            }
        }

        Benchmark("Seal: bare AES.GCM.seal loop, same segments (\(recording.cadence)), in memory, no file I/O") {
            benchmark in
            for _ in benchmark.scaledIterations {
                let cpu = ProcessCPUClock()
                var sink = SealedSink(reservingCapacity: recording.bareSealed.count)
                try bare.seal(recording.segments, into: &sink, syncEach: false)
                blackHole(sink.count)
                cpu.record(in: benchmark)
            }
        }

        // Opening is what export does: the whole file in memory, read strictly.
        Benchmark("Open: SealedBlobReader.open, \(recording.cadence) (\(size)), in memory, no file I/O") {
            benchmark in
            for _ in benchmark.scaledIterations {
                let cpu = ProcessCPUClock()
                blackHole(try SealedBlobReader.open(recording.file, dataKey: VaultInput.dataKey).count)
                cpu.record(in: benchmark)
            }
        }

        Benchmark("Open: bare AES.GCM.open loop, same segments (\(recording.cadence)), in memory, no file I/O") {
            benchmark in
            let lengths = recording.segments.map(\.count)
            for _ in benchmark.scaledIterations {
                let cpu = ProcessCPUClock()
                var plaintext: [UInt8] = []
                plaintext.reserveCapacity(recording.plaintext.byteCount)
                try bare.open(recording.bareSealed, lengths: lengths, into: &plaintext)
                blackHole(plaintext.count)
                cpu.record(in: benchmark)
            }
        }
    }

    // The recorder's real cost in a live call: a new part file, then at each flush one write and one fsync. The
    // file is removed at the end of each iteration (one unlink, inside the measurement).
    let onDisk = Benchmark.Configuration(
        maxDuration: .seconds(10), maxIterations: 50,
        setup: { try VaultInput.makeScratchDirectory() }, teardown: { try VaultInput.removeScratchDirectory() })
    let live = VaultInput.live
    let path = VaultInput.scratchDirectory + "/part.epsb"

    Benchmark(
        "Seal to disk: SealedBlobWriter, \(live.cadence), write + fsync per flush to a new temp file",
        configuration: onDisk
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            let cpu = ProcessCPUClock()
            var sink = try SealedSink(creating: path, directory: VaultInput.scratchDirectory)
            try live.plaintext.seal(
                objectID: VaultInput.objectID, keyReference: VaultInput.keyReference, dataKey: VaultInput.dataKey,
                into: &sink)
            blackHole(sink.count)
            cpu.record(in: benchmark)
        }
    }

    Benchmark(
        "Seal to disk: bare AES.GCM.seal loop, same segments (\(live.cadence)), write + fsync per segment to a new temp file",
        configuration: onDisk
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            let cpu = ProcessCPUClock()
            var sink = try SealedSink(creating: path, directory: VaultInput.scratchDirectory)
            try bare.seal(live.segments, into: &sink, syncEach: true)
            blackHole(sink.count)
            cpu.record(in: benchmark)
        }
    }
}
