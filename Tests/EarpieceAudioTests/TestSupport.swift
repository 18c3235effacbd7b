import COpus
import Foundation
import Testing

@testable import EarpieceAudio

/// Files the tests read from the repository's Fixtures/ folder.
enum Fixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func bytes(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: root.appendingPathComponent("Fixtures").appendingPathComponent(path)))
    }

    static func path(_ path: String) -> String {
        root.appendingPathComponent("Fixtures").appendingPathComponent(path).path
    }
}

/// A seeded generator (SplitMix64), so that every fuzz run sees the same inputs.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// libopus's encoder, for tests that need packets of a known shape.
struct TestOpusEncoder: ~Copyable {
    let channels: Int
    private let state: OpaquePointer

    init(channels: Int, application: Int32 = OPUS_APPLICATION_AUDIO) throws {
        var error: Int32 = 0
        guard let state = opus_encoder_create(48_000, Int32(channels), application, &error), error == OPUS_OK else {
            throw TestFailure("opus_encoder_create failed: \(error)")
        }
        self.state = state
        self.channels = channels
    }

    deinit { opus_encoder_destroy(state) }

    func configure(bitrate: Int32? = nil, bandwidth: Int32? = nil, mode: Int32? = nil, fec: Bool = false) {
        if let bitrate { _ = earpiece_opus_encoder_set_bitrate(state, bitrate) }
        if let bandwidth { _ = earpiece_opus_encoder_set_bandwidth(state, bandwidth) }
        if let mode { _ = earpiece_opus_encoder_force_mode(state, mode) }
        if fec {
            _ = earpiece_opus_encoder_set_inband_fec(state, 1)
            _ = earpiece_opus_encoder_set_packet_loss_perc(state, 20)
        }
    }

    /// Encodes `frameSize` samples per channel (48 kHz, interleaved) into one packet.
    func encode(_ pcm: [Int16], frameSize: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 8000)
        let count = out.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return Int32(-1) }
            return opus_encode(state, pcm, Int32(frameSize), base, Int32(buffer.count))
        }
        guard count > 0 else { throw TestFailure("opus_encode failed: \(count)") }
        return Array(out[0..<Int(count)])
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Test audio at 48 kHz: a tone in each channel given a frequency, silence where it is nil.
func tone(frames: Int, startingAt start: Int = 0, frequencies: [Double?], amplitude: Double = 8000) -> [Int16] {
    var out = [Int16]()
    out.reserveCapacity(frames * frequencies.count)
    for frame in start..<(start + frames) {
        for frequency in frequencies {
            guard let frequency else { out.append(0); continue }
            // A tone with a slow vibrato, so that codecs meet something less trivial than a pure sine.
            let t = Double(frame) / 48_000
            let phase = 2 * Double.pi * frequency * t + 3 * sin(2 * Double.pi * 5 * t)
            out.append(Int16(amplitude * sin(phase)))
        }
    }
    return out
}

func rms(_ samples: ArraySlice<Int16>) -> Double {
    guard !samples.isEmpty else { return 0 }
    let sum = samples.reduce(0.0) { $0 + Double($1) * Double($1) }
    return (sum / Double(samples.count)).squareRoot()
}

/// Runs a command; returns its exit status and what it printed on both streams.
@discardableResult
func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [executable] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("earpiece-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Every packet a demuxer yields for `bytes` fed in the given chunk sizes, and the error it ended with.
func demux<D: OpusStreamDemuxer>(_ make: () -> D, _ bytes: [UInt8], chunks: [Int]? = nil) -> (packets: [OpusStreamPacket], error: AudioFormatError?) {
    var demuxer = make()
    var packets: [OpusStreamPacket] = []
    var offset = 0
    do throws(AudioFormatError) {
        for size in chunks ?? [bytes.count] where offset < bytes.count {
            let end = min(bytes.count, offset + size)
            packets += try demuxer.push(Array(bytes[offset..<end]))
            offset = end
        }
        if offset < bytes.count { packets += try demuxer.push(Array(bytes[offset...])) }
        try demuxer.finish()
        return (packets, nil)
    } catch {
        return (packets, error)
    }
}
