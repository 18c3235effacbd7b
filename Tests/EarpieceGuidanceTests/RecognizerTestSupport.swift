import EarpieceAudio
import Foundation
import Testing

@testable import EarpieceGuidance

/// A timeline's utterances with their text, which the recognizer tests compare words against.
struct SpokenLine: Decodable, Sendable {
    var speaker: String
    var start_s: Double
    var end_s: Double
    var text: String

    var startMs: Int { Int((start_s * 1000).rounded()) }
    var endMs: Int { Int((end_s * 1000).rounded()) }

    static func lines(of call: String, speaker: String) throws -> [SpokenLine] {
        struct Timeline: Decodable { var utterances: [SpokenLine] }
        let url = FixtureCall.root.appendingPathComponent("\(call).json")
        return try JSONDecoder().decode(Timeline.self, from: Data(contentsOf: url)).utterances.filter { $0.speaker == speaker }
    }
}

/// Runs `samples` through a fresh VAD and `recognizer` as the live loop does, the first frame being `firstFrame`
/// of the call, and ends the last utterance.
func recognize(_ samples: ArraySlice<Int16>, with recognizer: inout SpeechRecognizer, firstFrame: Int = 0) throws -> [RecognitionEvent] {
    var detector = try VoiceActivityDetector()
    var events: [RecognitionEvent] = []
    var start = samples.startIndex
    var frameIndex = firstFrame
    while start + AnalysisFrame.sampleCount <= samples.endIndex {
        let frame = samples[start..<(start + AnalysisFrame.sampleCount)]
        recognizer.process(frame, isSpeech: detector.isSpeech(frame), frameIndex: frameIndex, into: &events)
        start += AnalysisFrame.sampleCount
        frameIndex += 1
    }
    recognizer.finish(into: &events)
    return events
}

/// Samples of `channel` between two call times, aligned to whole 20 ms frames.
func samples(of call: FixtureCall, channel: Int, fromMs start: Int, toMs end: Int) -> ArraySlice<Int16> {
    let all = call.pcm.channels[channel]
    let first = min(all.count, start / AnalysisFrame.durationMs * AnalysisFrame.sampleCount)
    let last = min(all.count, end / AnalysisFrame.durationMs * AnalysisFrame.sampleCount)
    return all[first..<last]
}

extension Array where Element == RecognitionEvent {
    var finals: [TranscriptUpdate] { transcripts.filter(\.isFinal) }
    var partials: [TranscriptUpdate] { transcripts.filter { !$0.isFinal } }
    var transcripts: [TranscriptUpdate] { compactMap { if case .transcript(let update) = $0 { update } else { nil } } }
    var hits: [KeyphraseHit] { compactMap { if case .keyphrase(let hit) = $0 { hit } else { nil } } }
}

/// The phrases the keyphrase tests listen for, with thresholds tuned on the fixture speech.
let playbookPhrases = KeyphraseList([
    KeyphraseTarget(text: "acme", threshold: 1e-5),
    KeyphraseTarget(text: "too pricey", threshold: 1e-10),
    KeyphraseTarget(text: "next quarter", threshold: 1e-15),
    KeyphraseTarget(text: "encrypted", threshold: 1e-10),
])

struct PoolAtCapacity: Error, CustomStringConvertible {
    var description: String { "the pool lent no recognizer" }
}

/// A recognizer from `pool`, or a test failure when the pool is at capacity.
@available(macOS 15, *)
func lease(_ pool: RecognizerPool, _ mode: RecognizerMode) throws -> SpeechRecognizer {
    guard let recognizer = try pool.acquire(mode) else { throw PoolAtCapacity() }
    return recognizer
}
