/// Ogg Opus bytes to 16 kHz PCM per channel, a chunk at a time: `OggOpusReader` then `OpusDecoder`, for files
/// read after the fact (a recording's summary; `earpiece transcribe` could use it too).
///
/// Holds one Ogg page and one chunk's audio at most, so a long recording is never in memory as PCM. Lost
/// packets are concealed as on the live path, so sample positions stay call time.
public struct OggOpusPCMDecoder: ~Copyable {
    private var reader: OggOpusReader
    private var decoder: OpusDecoder?
    private var failure: AudioFormatError?

    public init(limits: AudioInputLimits = .default) {
        reader = OggOpusReader(limits: limits)
    }

    /// The stream's identification header, once read.
    public var head: OpusHead? { reader.head }

    /// Reads `bytes` and returns the audio of the packets they completed, every channel; nil while none was.
    /// Throws what the container or the decoder refused; after a throw, every call throws the same.
    public mutating func push(_ bytes: [UInt8]) throws(AudioFormatError) -> PCMBuffer? {
        if let failure { throw failure }
        do throws(AudioFormatError) {
            let packets = try reader.push(bytes)
            guard !packets.isEmpty, let head = reader.head else { return nil }
            if decoder == nil { decoder = try OpusDecoder(channelCount: head.channelCount, preSkip: head.preSkip) }
            var pcm = PCMBuffer(channelCount: head.channelCount, reservingCapacity: packets.count * 320)
            for packet in packets {
                _ = try decoder?.decode(packet.data, sequence: packet.sequence, into: &pcm)
            }
            return pcm
        } catch {
            failure = error
            throw error
        }
    }

    /// Checks that the stream ended where a page ends, after its headers.
    public mutating func finish() throws(AudioFormatError) {
        if let failure { throw failure }
        try reader.finish()
    }
}
