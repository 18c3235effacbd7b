/// A parser that turns a byte stream, fed in pieces of any size, into the Opus packets it carries.
///
/// Implementations buffer at most one page or element (bounded by `AudioInputLimits`), so a hostile stream
/// can't make them hold memory without bound. Once `push` has thrown, the demuxer stays failed: every later
/// call throws the same error.
public protocol OpusStreamDemuxer: Sendable {
    /// The stream's identification header, once the parser has read it.
    var head: OpusHead? { get }
    /// Feeds the next bytes of the stream and returns the packets they completed, in stream order.
    mutating func push(_ bytes: [UInt8]) throws(AudioFormatError) -> [OpusStreamPacket]
    /// Declares the input finished; throws if it ended inside a page or element, or before any header.
    mutating func finish() throws(AudioFormatError)
}
