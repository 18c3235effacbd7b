import EarpieceAudio
import Foundation

/// A fixture call decoded once to 16 kHz PCM per channel, the way the gateway's guidance worker sees it.
public struct FixtureCall: Sendable {
    /// The fixture's file name in `Fixtures/calls`.
    public let name: String
    /// Both channels at 16 kHz: channel 0 the rep, channel 1 the customer.
    public let pcm: PCMBuffer

    /// The checkout's root, found from this file's place in it.
    public static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Reads and decodes `Fixtures/calls/<name>` with the gateway's Ogg reader and Opus decoder.
    public init(named name: String) {
        let url = Self.repositoryRoot.appendingPathComponent("Fixtures/calls").appendingPathComponent(name)
        guard let data = try? Data(contentsOf: url) else { fatalError("missing fixture \(url.path): run from a checkout of Earpiece") }
        do {
            var reader = OggOpusReader()
            let packets = try reader.push(Array(data))
            try reader.finish()
            guard let head = reader.head else { fatalError("\(name) has no OpusHead") }
            var decoder = try OpusDecoder(channelCount: head.channelCount, preSkip: head.preSkip)
            var all = PCMBuffer(channelCount: head.channelCount)
            var chunk = PCMBuffer(channelCount: head.channelCount, reservingCapacity: OpusDecoder.maxSamplesPerPacket)
            for packet in packets {
                chunk.removeAll()
                _ = try decoder.decode(packet.data, sequence: packet.sequence, into: &chunk)
                for channel in chunk.channels.indices { all.channels[channel] += chunk.channels[channel] }
            }
            self.name = name
            pcm = all
        } catch {
            fatalError("\(name) does not decode: \(error)")
        }
    }

    /// The call's length in seconds.
    public var seconds: Double { Double(pcm.frameCount) / Double(pcm.sampleRate) }

    /// The first `seconds` of the call (all of it when shorter), both channels.
    public func stereo(seconds: Double) -> PCMBuffer {
        let count = min(pcm.frameCount, Int(seconds * Double(pcm.sampleRate)))
        var out = PCMBuffer(channelCount: pcm.channels.count, sampleRate: pcm.sampleRate)
        for channel in pcm.channels.indices { out.channels[channel] = Array(pcm.channels[channel][..<count]) }
        return out
    }

    /// The first `seconds` of the call with both channels summed into one track, as a mono call carries both voices.
    public func mono(seconds: Double) -> PCMBuffer {
        let stereo = stereo(seconds: seconds)
        var out = PCMBuffer(channelCount: 1, sampleRate: pcm.sampleRate)
        guard stereo.channels.count == 2 else {
            out.channels[0] = stereo.channels[0]
            return out
        }
        out.channels[0] = zip(stereo.channels[0], stereo.channels[1]).map { rep, customer in
            Int16(clamping: Int32(rep) + Int32(customer))
        }
        return out
    }
}
