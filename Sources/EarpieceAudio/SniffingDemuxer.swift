/// Demuxes a byte stream whose container it learns from the first bytes: Ogg Opus or WebM.
///
/// Raw Earpiece frames are not a byte stream (each message is one frame), so they are refused here with a
/// pointer to `RawPacketFrame`.
public struct SniffingDemuxer: OpusStreamDemuxer {
    /// The container the stream turned out to be, once enough bytes have arrived to tell.
    public private(set) var container: AudioContainer?

    private let limits: AudioInputLimits
    private var pending: [UInt8] = []
    private var inner: (any OpusStreamDemuxer)?

    public init(limits: AudioInputLimits = .default) {
        self.limits = limits
    }

    public var head: OpusHead? { inner?.head }

    /// How long the stream plays, in 48 kHz samples after pre-skip, where the container says exactly
    /// (Ogg's granule positions); `nil` where only the packets' own durations tell.
    public var playbackSampleCount: Int64? { (inner as? OggOpusReader)?.playbackSampleCount }

    public mutating func push(_ bytes: [UInt8]) throws(AudioFormatError) -> [OpusStreamPacket] {
        // Moved out while it works, so that its buffers stay uniquely referenced and are not copied.
        if var demuxer = inner {
            inner = nil
            defer { inner = demuxer }
            return try demuxer.push(bytes)
        }
        pending.append(contentsOf: bytes)
        guard let found = try AudioContainer.sniff(pending) else { return [] }
        var demuxer: any OpusStreamDemuxer
        switch found {
        case .ogg: demuxer = OggOpusReader(limits: limits)
        case .webm: demuxer = WebMOpusDemuxer(limits: limits)
        case .raw, .opus:
            throw .unsupported(found, "raw frames arrive one per message, not as a byte stream")
        }
        container = found
        let first = pending
        pending = []
        defer { inner = demuxer }
        return try demuxer.push(first)
    }

    public mutating func finish() throws(AudioFormatError) {
        guard var demuxer = inner else {
            throw pending.isEmpty ? .truncated(.opus, "no audio arrived") : .truncated(.opus, "input ends after \(pending.count) bytes, too few to tell its format")
        }
        inner = nil
        defer { inner = demuxer }
        try demuxer.finish()
    }
}
