import EarpieceAudio
import Foundation

/// A fixture call ready to stream: its packets as raw frames, where each packet's audio ends, and the phrases
/// its timeline says carry an intent (for timing hints from the end of what triggered them).
struct LoadFixture: Sendable {
    /// A stretch of speech with an intent, from the fixture's timeline (`Fixtures/calls/NAME.json`).
    struct Phrase: Sendable {
        var intent: String
        /// `rep` or `customer`; a mono call's hints say `unknown`, which any phrase matches.
        var speaker: String
        var startMs: Int
        var endMs: Int
    }

    var name: String
    var channels: Int
    /// One raw frame per Opus packet, sequence numbers from 0.
    var frames: [[UInt8]]
    /// Where each packet's audio ends, in ms from the call's first sample.
    var packetEndMs: [Int]
    var phrases: [Phrase]

    /// Audio length in ms.
    var durationMs: Int { packetEndMs.last ?? 0 }

    /// Reads `directory/NAME.opus` (any container the gateway reads) and, when it is there, `NAME.json`;
    /// `seconds` keeps only the packets whose audio starts before it.
    init(named name: String, directory: String, seconds: Double?) throws(LoadgenFailure) {
        let audioPath = (directory as NSString).appendingPathComponent(name.hasSuffix(".opus") ? name : name + ".opus")
        guard let bytes = FileManager.default.contents(atPath: audioPath) else {
            throw LoadgenFailure("cannot read fixture \(audioPath)")
        }
        var demuxer = SniffingDemuxer()
        let packets: [OpusStreamPacket]
        do {
            packets = try demuxer.push(Array(bytes))
            try demuxer.finish()
        } catch {
            throw LoadgenFailure("\(audioPath): \(error)")
        }
        self.name = (name as NSString).deletingPathExtension
        channels = Int(demuxer.head?.channelCount ?? 2)
        frames = []
        packetEndMs = []
        let limitMs = seconds.map { Int($0 * 1000) } ?? Int.max
        var samples = 0
        for packet in packets {
            let startMs = samples / 48
            guard startMs < limitMs else { break }
            frames.append(RawPacketFrame(
                sequence: UInt32(truncatingIfNeeded: frames.count), captureTimeMicros: UInt64(samples) * 1_000 / 48,
                packet: packet.data).serialized)
            samples += (try? OpusPacketInfo(packet: packet.data).sampleCount) ?? 960
            packetEndMs.append(samples / 48)
        }
        guard !frames.isEmpty else { throw LoadgenFailure("\(audioPath) holds no audio packets") }
        phrases = try Self.phrases(timeline: (directory as NSString).appendingPathComponent(self.name + ".json"))
    }

    /// The first packet whose audio reaches `ms`: the packet a client must have sent for the server to know it.
    func packetIndex(reaching ms: Int) -> Int {
        var (low, high) = (0, packetEndMs.count - 1)
        while low < high {
            let middle = (low + high) / 2
            if packetEndMs[middle] >= ms { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// The phrase a content hint was about: the latest with its intent and speaker that the hint falls in or
    /// within `window` ms after (the evaluation's rule, `Fixtures/evaluate.py`).
    func phrase(for kind: String, speaker: String, audioTimeMs: Int, window: Int = 2_500) -> Phrase? {
        phrases.last { phrase in
            phrase.intent == kind && (speaker == "unknown" || phrase.speaker == speaker)
                && phrase.startMs <= audioTimeMs && audioTimeMs <= phrase.endMs + window
        }
    }

    private struct Timeline: Decodable {
        struct Utterance: Decodable {
            var speaker: String
            var start_s: Double
            var end_s: Double
            var intent: String?
        }
        var utterances: [Utterance]
    }

    private static func phrases(timeline path: String) throws(LoadgenFailure) -> [Phrase] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        do {
            return try JSONDecoder().decode(Timeline.self, from: data).utterances.compactMap { utterance in
                utterance.intent.map {
                    Phrase(intent: $0, speaker: utterance.speaker,
                           startMs: Int(utterance.start_s * 1000), endMs: Int(utterance.end_s * 1000))
                }
            }
        } catch {
            throw LoadgenFailure("\(path) is not a fixture timeline: \(error)")
        }
    }
}

/// Why the load generator cannot go on.
struct LoadgenFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
