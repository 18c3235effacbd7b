/// Decoded audio: 16-bit PCM, one array per channel (channel 0 the rep, channel 1 the customer).
///
/// A buffer is meant to be reused: `removeAll()` keeps its capacity, so a steady stream decodes without
/// allocating once the arrays have grown to a packet's size.
public struct PCMBuffer: Sendable, Equatable {
    /// The samples of each channel, all the same length.
    public var channels: [[Int16]]
    /// Samples per second of every channel.
    public let sampleRate: Int

    public init(channelCount: Int, sampleRate: Int = OpusDecoder.outputSampleRate, reservingCapacity: Int = 0) {
        channels = (0..<channelCount).map { _ in
            var channel = [Int16]()
            channel.reserveCapacity(reservingCapacity)
            return channel
        }
        self.sampleRate = sampleRate
    }

    /// Samples per channel.
    public var frameCount: Int { channels.first?.count ?? 0 }

    /// Empties every channel and keeps the storage.
    public mutating func removeAll() {
        for index in channels.indices { channels[index].removeAll(keepingCapacity: true) }
    }
}
