/// One Opus packet as a demuxer found it in a stream.
public struct OpusStreamPacket: Sendable, Equatable {
    /// The Opus packet: a TOC byte and its frames (RFC 6716 §3).
    public var data: [UInt8]
    /// Where the packet sits in its stream: the sender's sequence number for raw frames, the packet's index
    /// from 0 for Ogg and WebM. A jump means packets were lost.
    public var sequence: UInt64
    /// When the packet's audio starts, in microseconds from the start of the stream, where the container says
    /// (raw frames: the capture time the client stamped; WebM: the block's time less the track's CodecDelay;
    /// Ogg: derived from granules, less pre-skip).
    public var timestampMicros: Int64?

    public init(data: [UInt8], sequence: UInt64, timestampMicros: Int64? = nil) {
        self.data = data
        self.sequence = sequence
        self.timestampMicros = timestampMicros
    }
}

/// The limits every parser in this module enforces, so that no input makes it hold memory without bound.
public struct AudioInputLimits: Sendable, Equatable {
    /// The largest Opus packet accepted. RFC 6716 allows 1275 bytes per frame; 120 ms of 20 ms frames at that
    /// size is 7650 bytes, so 8 KiB holds every packet a real encoder writes.
    public var maxPacketBytes: Int
    /// The largest WebM element that is read into memory (other than the Segment and Cluster, which stream).
    public var maxElementBytes: Int
    /// The most bytes of metadata (OpusTags, WebM Tags, Cues) skipped or parsed before giving up.
    public var maxMetadataBytes: Int

    public init(maxPacketBytes: Int = 8192, maxElementBytes: Int = 64 * 1024, maxMetadataBytes: Int = 1 << 20) {
        self.maxPacketBytes = maxPacketBytes
        self.maxElementBytes = maxElementBytes
        self.maxMetadataBytes = maxMetadataBytes
    }

    public static let `default` = AudioInputLimits()
}
