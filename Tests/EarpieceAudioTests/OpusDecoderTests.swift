import COpus
import Testing

@testable import EarpieceAudio

@Suite("Opus decoding")
struct OpusDecoderTests {
    /// Every TOC configuration of RFC 6716 Table 2: the mode, bandwidth and frame size that produce it.
    static let configurations: [(config: Int, mode: Int32, bandwidth: Int32, bitrate: Int32)] = (0..<32).map { config in
        switch config {
        case 0..<12:
            return (config, 1000, [OPUS_BANDWIDTH_NARROWBAND, OPUS_BANDWIDTH_MEDIUMBAND, OPUS_BANDWIDTH_WIDEBAND][config / 4], 16_000)
        case 12..<16:
            return (config, 1001, [OPUS_BANDWIDTH_SUPERWIDEBAND, OPUS_BANDWIDTH_FULLBAND][(config - 12) / 2], 32_000)
        default:
            return (config, 1002, [OPUS_BANDWIDTH_NARROWBAND, OPUS_BANDWIDTH_WIDEBAND, OPUS_BANDWIDTH_SUPERWIDEBAND, OPUS_BANDWIDTH_FULLBAND][(config - 16) / 4], 64_000)
        }
    }

    @Test("every TOC configuration decodes to its duration", arguments: [1, 2])
    func everyTOCConfigurationDecodesToItsDuration(channels: Int) throws {
        for (config, mode, bandwidth, bitrate) in Self.configurations {
            let encoder = try TestOpusEncoder(channels: channels)
            encoder.configure(bitrate: bitrate, bandwidth: bandwidth, mode: mode)
            let frameSize = OpusPacketInfo.samplesPerFrame(configuration: config)
            var decoder = try OpusDecoder(channelCount: channels)
            var pcm = PCMBuffer(channelCount: channels)
            var seen = Set<Int>()
            for index in 0..<12 {
                let input = tone(frames: frameSize, startingAt: index * frameSize, frequencies: Array(repeating: 300, count: channels))
                let packet = try encoder.encode(input, frameSize: frameSize)
                let info = try OpusPacketInfo(packet: packet)
                seen.insert(info.configuration)
                #expect(info.sampleCount == frameSize)
                let outcome = try decoder.decode(packet, sequence: UInt64(index), into: &pcm)
                #expect(outcome.decodedSamples == frameSize / 3)
            }
            #expect(seen.contains(config), "configuration \(config) was never produced; saw \(seen.sorted())")
            #expect(pcm.channels.allSatisfy { $0.count == 12 * frameSize / 3 })
        }
    }

    @Test("every frame size from 2.5 to 120 ms decodes, mono and stereo", arguments: [1, 2])
    func everyFrameSizeDecodes(channels: Int) throws {
        // 2.5, 5, 10, 20, 40, 60, 80, 100 and 120 ms at 48 kHz.
        for frameSize in [120, 240, 480, 960, 1920, 2880, 3840, 4800, 5760] {
            let encoder = try TestOpusEncoder(channels: channels)
            encoder.configure(bitrate: 48_000)
            var decoder = try OpusDecoder(channelCount: channels)
            var pcm = PCMBuffer(channelCount: channels)
            let packets = 20
            for index in 0..<packets {
                let input = tone(frames: frameSize, startingAt: index * frameSize, frequencies: Array(repeating: 440, count: channels))
                let packet = try encoder.encode(input, frameSize: frameSize)
                #expect(try OpusPacketInfo(packet: packet).sampleCount == frameSize)
                try decoder.decode(packet, sequence: UInt64(index), into: &pcm)
            }
            for channel in pcm.channels {
                #expect(channel.count == packets * frameSize / 3)
                // Past the codec's start-up, the tone comes back at about its level (8000 peak ≈ 5657 RMS).
                #expect(rms(channel[(channel.count / 2)...]) > 3000, "frame size \(frameSize): decoded level too low")
            }
        }
    }

    @Test func stereoChannelsComeOutDeinterleavedRepFirst() throws {
        let encoder = try TestOpusEncoder(channels: 2)
        encoder.configure(bitrate: 64_000)
        var decoder = try OpusDecoder(channelCount: 2)
        var pcm = PCMBuffer(channelCount: 2)
        for index in 0..<50 {
            // The rep (left) speaks, the customer (right) is silent.
            let packet = try encoder.encode(tone(frames: 960, startingAt: index * 960, frequencies: [500, nil]), frameSize: 960)
            try decoder.decode(packet, sequence: UInt64(index), into: &pcm)
        }
        let rep = rms(pcm.channels[0][8000...]), customer = rms(pcm.channels[1][8000...])
        #expect(rep > 3000)
        #expect(customer < rep / 20, "customer channel carries \(customer) RMS against the rep's \(rep)")
    }

    @Test func preSkipIsDroppedFromTheStart() throws {
        let encoder = try TestOpusEncoder(channels: 1)
        var withSkip = try OpusDecoder(channelCount: 1, preSkip: 312)
        var without = try OpusDecoder(channelCount: 1)
        var a = PCMBuffer(channelCount: 1), b = PCMBuffer(channelCount: 1)
        for index in 0..<5 {
            let packet = try encoder.encode(tone(frames: 960, startingAt: index * 960, frequencies: [440]), frameSize: 960)
            try withSkip.decode(packet, into: &a)
            try without.decode(packet, into: &b)
        }
        #expect(a.frameCount == b.frameCount - 104)
        #expect(a.channels[0] == Array(b.channels[0][104...]))
    }

    @Test func audioPassedOverPaysOffPreSkipSoTheTimelineIsUnchanged() throws {
        let encoder = try TestOpusEncoder(channels: 1)
        let packets = try (0..<3).map { try encoder.encode(tone(frames: 960, startingAt: $0 * 960, frequencies: [440]), frameSize: 960) }
        var decoder = try OpusDecoder(channelCount: 1, preSkip: 312)
        var pcm = PCMBuffer(channelCount: 1)
        #expect(decoder.passOver(samples: 960) == 320 - 104)
        try decoder.decode(packets[1], sequence: nil, into: &pcm)
        try decoder.decode(packets[2], sequence: 2, into: &pcm)
        // Three 20 ms packets, less the 104-sample pre-skip, whichever were decoded.
        #expect(pcm.frameCount + 320 - 104 == 3 * 320 - 104)
    }

    @Test func aPacketWithoutASequenceNumberStartsTheChainAfresh() throws {
        let encoder = try TestOpusEncoder(channels: 1)
        let packets = try (0..<3).map { try encoder.encode(tone(frames: 960, startingAt: $0 * 960, frequencies: [440]), frameSize: 960) }
        var decoder = try OpusDecoder(channelCount: 1)
        var pcm = PCMBuffer(channelCount: 1)
        try decoder.decode(packets[0], sequence: 0, into: &pcm)
        try decoder.decode(packets[1], sequence: nil, into: &pcm)
        // Had the chain not been broken, sequence 90 would conceal 89 packets (capped at 50).
        #expect(try decoder.decode(packets[2], sequence: 90, into: &pcm).concealedSamples == 0)
    }

    @Test func aGapInSequenceNumbersIsConcealedToKeepTime() throws {
        let encoder = try TestOpusEncoder(channels: 2)
        encoder.configure(bitrate: 32_000, fec: true)
        var decoder = try OpusDecoder(channelCount: 2)
        var pcm = PCMBuffer(channelCount: 2)
        var outcomes: [OpusDecoder.Outcome] = []
        for index in 0..<30 {
            let packet = try encoder.encode(tone(frames: 960, startingAt: index * 960, frequencies: [440, 660]), frameSize: 960)
            if index == 10 || index == 11 || index == 12 { continue }  // lost on the way
            outcomes.append(try decoder.decode(packet, sequence: UInt64(index), into: &pcm))
        }
        let gap = outcomes[10]
        #expect(gap.lostPackets == 3)
        #expect(gap.concealedSamples == 3 * 320)
        #expect(outcomes.reduce(0) { $0 + $1.concealedSamples } == 960)
        // Time is kept: 30 packets of 20 ms at 16 kHz, whether received or concealed.
        #expect(pcm.channels.allSatisfy { $0.count == 30 * 320 })
        // Concealment continues the tone rather than dropping to silence.
        #expect(rms(pcm.channels[0][(10 * 320)..<(11 * 320)]) > 1000)
    }

    @Test func aHugeGapIsReportedButConcealmentIsBounded() throws {
        let encoder = try TestOpusEncoder(channels: 1)
        var decoder = try OpusDecoder(channelCount: 1, maxConcealedPackets: 50)
        var pcm = PCMBuffer(channelCount: 1)
        let first = try encoder.encode(tone(frames: 960, frequencies: [440]), frameSize: 960)
        let second = try encoder.encode(tone(frames: 960, startingAt: 960, frequencies: [440]), frameSize: 960)
        try decoder.decode(first, sequence: 0, into: &pcm)
        let outcome = try decoder.decode(second, sequence: 4_000_000_000, into: &pcm)
        #expect(outcome.lostPackets == 3_999_999_999)
        #expect(outcome.concealedSamples == 50 * 320)
        #expect(pcm.frameCount == 52 * 320)
    }

    @Test func repeatedAndLateSequenceNumbersAreSkippedAsDuplicates() throws {
        let encoder = try TestOpusEncoder(channels: 1)
        var decoder = try OpusDecoder(channelCount: 1)
        var pcm = PCMBuffer(channelCount: 1)
        let packets = try (0..<4).map { try encoder.encode(tone(frames: 960, startingAt: $0 * 960, frequencies: [440]), frameSize: 960) }
        for (index, packet) in packets.enumerated() { try decoder.decode(packet, sequence: UInt64(index), into: &pcm) }
        let again = try decoder.decode(packets[3], sequence: 3, into: &pcm)
        let late = try decoder.decode(packets[1], sequence: 1, into: &pcm)
        #expect(again.wasDuplicate && late.wasDuplicate)
        #expect(pcm.frameCount == 4 * 320)
    }

    @Test("packets that RFC 6716 forbids are refused with a reason", arguments: [[UInt8]]([
        [UInt8](),  // no TOC byte
        [0x03, 0x00],  // code 3 with zero frames
        [0xFB, 0x31],  // code 3, 49 frames: 980 ms
        [0x03 | (1 << 3), 0x07],  // code 3, 7 × 20 ms SILK frames = 140 ms
        [0x01, 0x01, 0x02, 0x03],  // code 1 with an odd payload
        [0x02],  // code 2 without its length byte
        [0x02, 0xFC, 0x01],  // code 2 whose first frame runs past the end
    ]))
    func forbiddenPacketsAreRefused(packet: [UInt8]) throws {
        var decoder = try OpusDecoder(channelCount: 2)
        var pcm = PCMBuffer(channelCount: 2)
        #expect(throws: AudioFormatError.self) { try decoder.decode(packet, into: &pcm) }
        #expect(pcm.frameCount == 0)
    }

    @Test func oneFrameInCodeThreeFramingIsAccepted() throws {
        // The legal neighbour of the refused packets above: code 3, one CELT frame of one byte.
        var decoder = try OpusDecoder(channelCount: 2)
        var pcm = PCMBuffer(channelCount: 2)
        #expect(try decoder.decode([0xFB, 0x01, 0x02], into: &pcm).decodedSamples == 320)
    }

    @Test func randomPacketsNeverCrashTheDecoderAndItKeepsWorking() throws {
        var random = SeededRandom(seed: 2)
        var decoder = try OpusDecoder(channelCount: 2)
        var pcm = PCMBuffer(channelCount: 2)
        var refused = 0
        for index in 0..<5000 {
            let size = Int.random(in: 1...300, using: &random)
            let packet = (0..<size).map { _ in UInt8.random(in: 0...255, using: &random) }
            do {
                try decoder.decode(packet, sequence: UInt64(index), into: &pcm)
            } catch {
                refused += 1
            }
            pcm.removeAll()
        }
        #expect(refused > 0)
        let encoder = try TestOpusEncoder(channels: 2)
        let good = try encoder.encode(tone(frames: 960, frequencies: [440, 440]), frameSize: 960)
        #expect(try decoder.decode(good, sequence: 10_000, into: &pcm).decodedSamples == 320)
    }
}
