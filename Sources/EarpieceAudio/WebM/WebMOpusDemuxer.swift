// Placeholder until the WebM demuxer lands.
public struct WebMOpusDemuxer: OpusStreamDemuxer {
    public init(limits: AudioInputLimits = .default) {}
    public var head: OpusHead? { nil }
    public mutating func push(_ bytes: [UInt8]) throws(AudioFormatError) -> [OpusStreamPacket] { throw .unsupported(.webm, "not yet") }
    public mutating func finish() throws(AudioFormatError) {}
}
