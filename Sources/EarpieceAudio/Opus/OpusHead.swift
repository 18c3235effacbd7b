/// The Opus identification header (RFC 7845 §5.1), carried as the first Ogg packet and as WebM's CodecPrivate.
public struct OpusHead: Sendable, Equatable {
    /// 1 (mono) or 2 (stereo: channel 0 the rep, channel 1 the customer).
    public var channelCount: Int
    /// Samples at 48 kHz to drop from the start of the decoded stream (the encoder's lookahead).
    public var preSkip: Int
    /// The sample rate the encoder was fed; informational only.
    public var inputSampleRate: Int
    /// Gain in Q7.8 dB to apply on output.
    public var outputGain: Int16

    public init(channelCount: Int, preSkip: Int, inputSampleRate: Int = 48_000, outputGain: Int16 = 0) {
        self.channelCount = channelCount
        self.preSkip = preSkip
        self.inputSampleRate = inputSampleRate
        self.outputGain = outputGain
    }

    static let magic = Array("OpusHead".utf8)

    /// Parses an OpusHead packet; `container` names where it came from in errors.
    public init(parsing bytes: some Collection<UInt8>, container: AudioContainer) throws(AudioFormatError) {
        let b = Array(bytes)
        guard b.count >= 19, b.starts(with: Self.magic) else {
            throw .malformed(container, "the first packet is not an OpusHead header")
        }
        // RFC 7845 §5.1: a major version (upper four bits) other than 0 is incompatible.
        guard b[8] & 0xF0 == 0 else {
            throw .unsupported(container, "OpusHead version \(b[8]) is not supported")
        }
        let channels = Int(b[9])
        let mappingFamily = b[18]
        guard channels > 0 else {
            throw .malformed(container, "OpusHead declares zero channels")
        }
        guard mappingFamily == 0 else {
            throw .unsupported(container, "channel mapping family \(mappingFamily) is not supported (only family 0: mono or stereo)")
        }
        guard channels <= 2 else {
            throw .malformed(container, "OpusHead mapping family 0 allows 1 or 2 channels, not \(channels)")
        }
        self.channelCount = channels
        self.preSkip = Int(UInt16(b[10]) | UInt16(b[11]) << 8)
        self.inputSampleRate = Int(UInt32(b[12]) | UInt32(b[13]) << 8 | UInt32(b[14]) << 16 | UInt32(b[15]) << 24)
        self.outputGain = Int16(bitPattern: UInt16(b[16]) | UInt16(b[17]) << 8)
    }

    /// The 19-byte header for mapping family 0.
    public var serialized: [UInt8] {
        var out = Self.magic
        out.append(1)
        out.append(UInt8(channelCount))
        out.append(contentsOf: [UInt8(preSkip & 0xFF), UInt8(preSkip >> 8 & 0xFF)])
        let rate = UInt32(truncatingIfNeeded: inputSampleRate)
        out.append(contentsOf: [UInt8(rate & 0xFF), UInt8(rate >> 8 & 0xFF), UInt8(rate >> 16 & 0xFF), UInt8(rate >> 24)])
        let gain = UInt16(bitPattern: outputGain)
        out.append(contentsOf: [UInt8(gain & 0xFF), UInt8(gain >> 8)])
        out.append(0)
        return out
    }
}
