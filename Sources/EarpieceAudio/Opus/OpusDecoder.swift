import COpus

/// Decodes a stream of Opus packets to 16 kHz 16-bit PCM per channel, concealing lost packets.
///
/// One decoder per stream: it keeps libopus's state between packets and follows the stream's sequence numbers.
/// A jump in them is a loss: the decoder fills it with libopus's concealment (and in-band FEC from the packet
/// that follows the gap, where the sender encoded it), at most `maxConcealedPackets` packets' worth, so a
/// sender that skips a billion sequence numbers costs no more than a short gap.
public struct OpusDecoder: ~Copyable {
    /// The rate every decoder writes: libopus decodes straight to it, with no resampler.
    public static let outputSampleRate = 16_000
    /// The most audio one packet can hold, per channel, at the output rate (120 ms).
    public static let maxSamplesPerPacket = OpusPacketInfo.maxSampleCount / 3

    /// What one call to `decode` did.
    public struct Outcome: Sendable, Equatable {
        /// Samples per channel appended for the packet itself (after pre-skip).
        public var decodedSamples: Int
        /// Samples per channel appended to conceal packets lost before it.
        public var concealedSamples: Int
        /// Packets missing between the previous packet and this one.
        public var lostPackets: UInt64
        /// True when the packet repeated or preceded one already decoded; nothing was appended.
        public var wasDuplicate: Bool
    }

    public let channelCount: Int
    /// Lost packets beyond this count are reported but not concealed.
    public let maxConcealedPackets: Int

    private let state: OpaquePointer
    private var interleaved: [Int16]
    private var lastSequence: UInt64?
    private var lastPacketSamples = 320  // 20 ms at 16 kHz until a packet says otherwise
    private var samplesToSkip: Int

    /// Creates a decoder for `channelCount` (1 or 2) channels; `preSkip` (samples at 48 kHz, from OpusHead)
    /// is dropped from the start of the output.
    public init(channelCount: Int, preSkip: Int = 0, maxConcealedPackets: Int = 50) throws(AudioFormatError) {
        guard channelCount == 1 || channelCount == 2 else {
            throw .unsupported(.opus, "\(channelCount) channels; Earpiece decodes mono or stereo")
        }
        var error: Int32 = 0
        guard let state = opus_decoder_create(Int32(Self.outputSampleRate), Int32(channelCount), &error), error == OPUS_OK else {
            throw .unsupported(.opus, "libopus could not create a decoder: \(Self.message(for: error))")
        }
        self.state = state
        self.channelCount = channelCount
        self.maxConcealedPackets = max(0, maxConcealedPackets)
        self.interleaved = [Int16](repeating: 0, count: Self.maxSamplesPerPacket * channelCount)
        self.samplesToSkip = max(0, preSkip) / 3
    }

    deinit {
        opus_decoder_destroy(state)
    }

    /// Decodes `packet` and appends its audio, and any concealment before it, to `output`.
    ///
    /// `sequence` orders the stream; pass `nil` where the order is not known (after packets were skipped on
    /// purpose): nothing is concealed before that packet, and the next numbered packet starts afresh.
    @discardableResult
    public mutating func decode(_ packet: [UInt8], sequence: UInt64? = nil, into output: inout PCMBuffer) throws(AudioFormatError) -> Outcome {
        precondition(output.channels.count == channelCount, "PCMBuffer has \(output.channels.count) channels, decoder \(channelCount)")
        let info = try OpusPacketInfo(packet: packet)
        var outcome = Outcome(decodedSamples: 0, concealedSamples: 0, lostPackets: 0, wasDuplicate: false)
        if let sequence, let last = lastSequence {
            if sequence <= last {
                outcome.wasDuplicate = true
                return outcome
            }
            outcome.lostPackets = sequence - last - 1
        }
        if outcome.lostPackets > 0 {
            outcome.concealedSamples = try conceal(lost: outcome.lostPackets, before: packet, into: &output)
        }
        let produced = try run(packet: packet, fec: false, frameSize: info.sampleCount / 3)
        outcome.decodedSamples = append(produced, to: &output)
        lastPacketSamples = produced
        // A packet without a sequence number breaks the chain: the next numbered packet starts a new one.
        lastSequence = sequence
        return outcome
    }

    /// Accounts for audio deliberately not decoded (`samples` at 48 kHz): it pays off pre-skip still owed, so
    /// the stream's timeline stays the same whether or not its start was decoded. Returns the output samples
    /// per channel that audio stands for.
    public mutating func passOver(samples: Int) -> Int {
        let output = max(0, samples) / 3
        let owed = min(samplesToSkip, output)
        samplesToSkip -= owed
        return output - owed
    }

    /// Conceals `lost` packets: libopus's loss concealment for all but the last, which is recovered from the
    /// in-band FEC of the packet after the gap (libopus falls back to concealment when it carries none).
    private mutating func conceal(lost: UInt64, before next: [UInt8], into output: inout PCMBuffer) throws(AudioFormatError) -> Int {
        let count = Int(min(lost, UInt64(maxConcealedPackets)))
        var appended = 0
        for index in 0..<count {
            let recoverFromNext = index == count - 1 && UInt64(count) == lost
            let produced = recoverFromNext
                ? try run(packet: next, fec: true, frameSize: lastPacketSamples)
                : try run(packet: nil, fec: false, frameSize: lastPacketSamples)
            appended += append(produced, to: &output)
        }
        return appended
    }

    /// Runs libopus once into `interleaved` and returns the samples per channel it wrote.
    private mutating func run(packet: [UInt8]?, fec: Bool, frameSize: Int) throws(AudioFormatError) -> Int {
        let state = self.state
        let result: Int32 = interleaved.withUnsafeMutableBufferPointer { pcm in
            guard let out = pcm.baseAddress else { return OPUS_BAD_ARG }
            if let packet {
                return packet.withUnsafeBufferPointer { bytes in
                    opus_decode(state, bytes.baseAddress, Int32(bytes.count), out, Int32(frameSize), fec ? 1 : 0)
                }
            }
            return opus_decode(state, nil, 0, out, Int32(frameSize), 0)
        }
        guard result >= 0 else {
            throw .invalidOpusPacket(Self.message(for: result))
        }
        return Int(result)
    }

    /// Deinterleaves `count` samples per channel into `output`, dropping what pre-skip still owes.
    private mutating func append(_ count: Int, to output: inout PCMBuffer) -> Int {
        let skip = min(samplesToSkip, count)
        samplesToSkip -= skip
        let kept = count - skip
        guard kept > 0 else { return 0 }
        interleaved.withUnsafeBufferPointer { pcm in
            if channelCount == 1 {
                output.channels[0].append(contentsOf: pcm[skip..<count])
                return
            }
            // Grow each channel once, then copy with raw pointers: per-element appends cost more than libopus's
            // own decode of a small packet.
            for channel in 0..<2 {
                let start = output.channels[channel].count
                output.channels[channel].append(contentsOf: repeatElement(0, count: kept))
                output.channels[channel].withUnsafeMutableBufferPointer { destination in
                    guard let target = destination.baseAddress, let source = pcm.baseAddress else { return }
                    var from = source + skip * 2 + channel
                    var to = target + start
                    for _ in 0..<kept {
                        to.pointee = from.pointee
                        to += 1
                        from += 2
                    }
                }
            }
        }
        return kept
    }

    static func message(for code: Int32) -> String {
        guard let text = opus_strerror(code) else { return "libopus error \(code)" }
        return String(cString: text)
    }
}
