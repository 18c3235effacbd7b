import Foundation

/// Decodes a stream's packets and tallies what a person checking a recording wants to know.
///
/// `earpiece replay` uses it to describe a file; tests use it to compare what two containers carry.
public struct StreamInspector: ~Copyable {
    /// What the stream held.
    public struct Report: Sendable, Equatable, Codable {
        public var container: String
        public var channels: Int
        public var preSkip: Int
        public var packets: UInt64
        public var bytes: Int
        /// Duration the packets cover, less pre-skip, in seconds.
        public var durationSeconds: Double
        /// Decoded samples per channel at 16 kHz.
        public var decodedSamples: Int
        /// Sequence gaps met, and the packets they lost.
        public var gaps: Int
        public var lostPackets: UInt64
        /// Samples per channel made up by concealment.
        public var concealedSamples: Int
        /// Level of each channel over the whole stream, dB relative to full scale.
        public var channelLevelsDBFS: [Double]
    }

    private var decoder: OpusDecoder
    private var pcm: PCMBuffer
    private var report: Report
    private var packetSamples: Int64 = 0
    private var sumsOfSquares: [Double]

    public init(container: AudioContainer, head: OpusHead) throws(AudioFormatError) {
        decoder = try OpusDecoder(channelCount: head.channelCount, preSkip: head.preSkip)
        pcm = PCMBuffer(channelCount: head.channelCount, reservingCapacity: OpusDecoder.maxSamplesPerPacket * 2)
        sumsOfSquares = Array(repeating: 0, count: head.channelCount)
        report = Report(
            container: container.rawValue, channels: head.channelCount, preSkip: head.preSkip, packets: 0, bytes: 0,
            durationSeconds: 0, decodedSamples: 0, gaps: 0, lostPackets: 0, concealedSamples: 0, channelLevelsDBFS: [])
    }

    /// Decodes one packet and counts it.
    public mutating func add(_ packet: OpusStreamPacket) throws(AudioFormatError) {
        pcm.removeAll()
        let outcome = try decoder.decode(packet.data, sequence: packet.sequence, into: &pcm)
        guard !outcome.wasDuplicate else { return }
        report.packets += 1
        report.bytes += packet.data.count
        packetSamples += Int64(try OpusPacketInfo(packet: packet.data).sampleCount)
        report.decodedSamples += outcome.decodedSamples + outcome.concealedSamples
        report.concealedSamples += outcome.concealedSamples
        if outcome.lostPackets > 0 {
            report.gaps += 1
            report.lostPackets += outcome.lostPackets
        }
        for (index, channel) in pcm.channels.enumerated() {
            var sum = 0.0
            for sample in channel { sum += Double(sample) * Double(sample) }
            sumsOfSquares[index] += sum
        }
    }

    /// The report so far.
    public var summary: Report {
        var out = report
        out.durationSeconds = Double(max(0, packetSamples - Int64(report.preSkip))) / 48_000
        out.channelLevelsDBFS = sumsOfSquares.map { sum in
            guard report.decodedSamples > 0, sum > 0 else { return -120 }
            let rms = (sum / Double(report.decodedSamples)).squareRoot() / 32_768
            return max(-120, (20 * log10(rms) * 10).rounded() / 10)
        }
        return out
    }
}
