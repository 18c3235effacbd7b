import Benchmark
import COpus
import EarpieceAudio
import Foundation

/// The fixtures every benchmark reads, loaded once.
enum BenchmarkInput {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/calls")

    static func bytes(_ name: String) -> [UInt8] {
        guard let data = try? Data(contentsOf: fixtures.appendingPathComponent(name)) else {
            fatalError("missing fixture \(name): run from a checkout of Earpiece")
        }
        return Array(data)
    }

    /// The stereo pricing call: 105 s, 5,275 packets of 20 ms.
    static let oggBytes = bytes("pricing-call.opus")
    static let webmBytes = bytes("pricing-call.webm")
    static let packets: [OpusStreamPacket] = {
        var reader = OggOpusReader()
        guard let packets = try? reader.push(oggBytes) else { fatalError("fixture does not parse") }
        return packets
    }()
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.cpuTotal, .wallClock, .throughput, .mallocCountTotal],
        scalingFactor: .one,
        maxDuration: .seconds(3),
        maxIterations: 1_000
    )
    let packets = BenchmarkInput.packets

    // One iteration decodes the whole 105 s stereo call: 5,275 packets.
    Benchmark("Decode: OpusDecoder, stereo call to 16 kHz per channel") { benchmark in
        for _ in benchmark.scaledIterations {
            var decoder = try OpusDecoder(channelCount: 2, preSkip: 312)
            var pcm = PCMBuffer(channelCount: 2, reservingCapacity: OpusDecoder.maxSamplesPerPacket)
            for packet in packets {
                pcm.removeAll()
                try decoder.decode(packet.data, sequence: packet.sequence, into: &pcm)
            }
            blackHole(pcm)
        }
    }

    // The baseline: libopus itself, interleaved 16 kHz output into one reused buffer, no checks.
    Benchmark("Decode: bare libopus loop, same packets") { benchmark in
        for _ in benchmark.scaledIterations {
            var error: Int32 = 0
            guard let decoder = opus_decoder_create(16_000, 2, &error) else { fatalError("opus_decoder_create: \(error)") }
            var pcm = [Int16](repeating: 0, count: 1920 * 2)
            var total = 0
            pcm.withUnsafeMutableBufferPointer { out in
                guard let base = out.baseAddress else { return }
                for packet in packets {
                    total += Int(packet.data.withUnsafeBufferPointer { bytes in
                        opus_decode(decoder, bytes.baseAddress, Int32(bytes.count), base, 1920, 0)
                    })
                }
            }
            opus_decoder_destroy(decoder)
            blackHole(total)
        }
    }

    // Demux throughput: the whole file in 4 KiB slices, as a socket would deliver it.
    for (name, bytes) in [("Ogg", BenchmarkInput.oggBytes), ("WebM", BenchmarkInput.webmBytes)] {
        Benchmark("Demux: \(name), whole call in 4 KiB messages (\(bytes.count) bytes)") { benchmark in
            for _ in benchmark.scaledIterations {
                var demuxer = SniffingDemuxer()
                var count = 0
                var offset = 0
                while offset < bytes.count {
                    let end = min(bytes.count, offset + 4096)
                    count += try demuxer.push(Array(bytes[offset..<end])).count
                    offset = end
                }
                try demuxer.finish()
                blackHole(count)
            }
        }
    }
}
