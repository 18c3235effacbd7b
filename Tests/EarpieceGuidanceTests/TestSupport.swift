import EarpieceAudio
import Testing

@testable import EarpieceGuidance

/// Drives a loop with hand-made speech decisions: `(seconds, activity)` segments, each a run of 20 ms frames.
func run(_ loop: inout GuidanceLoop, _ segments: [(seconds: Double, activity: SpeechActivity)]) -> [GuidanceEvent] {
    var events: [GuidanceEvent] = []
    for segment in segments {
        for _ in 0..<Int((segment.seconds * 50).rounded()) { loop.advance(segment.activity, into: &events) }
    }
    return events
}

let rep = SpeechActivity(speaking: true, false)
let customer = SpeechActivity(speaking: false, true)
let both = SpeechActivity(speaking: true, true)
let nobody = SpeechActivity.silence
let voice = SpeechActivity(speaking: true)

extension Array where Element == GuidanceEvent {
    var hints: [Hint] { compactMap { if case .hint(let hint) = $0 { hint } else { nil } } }
    var snapshots: [DynamicsSnapshot] { compactMap { if case .dynamics(let snapshot) = $0 { snapshot } else { nil } } }
    func hints(_ kind: HintKind) -> [Hint] { hints.filter { $0.kind == kind } }
}

extension PCMBuffer {
    /// Samples `range` of every channel, as a buffer of their own.
    func slice(_ range: Range<Int>) -> PCMBuffer {
        var part = PCMBuffer(channelCount: channels.count, reservingCapacity: range.count)
        for channel in channels.indices { part.channels[channel].append(contentsOf: channels[channel][range]) }
        return part
    }

    /// The same audio cut into chunks whose sizes cycle through `sizes`.
    func chunks(cycling sizes: [Int]) -> [PCMBuffer] {
        var parts: [PCMBuffer] = []
        var start = 0, index = 0
        while start < frameCount {
            let end = Swift.min(frameCount, start + sizes[index % sizes.count])
            parts.append(slice(start..<end))
            start = end
            index += 1
        }
        return parts
    }
}

/// Odd chunk sizes: a sample, less than a frame, a frame and a bit, several frames, a packet and a half.
let unevenChunkSizes = [1, 7, 319, 320, 321, 1_000, 4_801, 3, 640, 2_222]

/// Runs a whole buffer through a fresh loop in the given chunk sizes.
func analyse(_ pcm: PCMBuffer, chunkSizes: [Int]? = nil) throws -> [GuidanceEvent] {
    var loop = try GuidanceLoop(channelCount: pcm.channels.count)
    guard let chunkSizes else { return loop.process(pcm) }
    var events: [GuidanceEvent] = []
    for chunk in pcm.chunks(cycling: chunkSizes) { loop.process(chunk, into: &events) }
    return events
}
