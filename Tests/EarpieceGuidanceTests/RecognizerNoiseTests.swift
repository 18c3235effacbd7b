import EarpieceAudio
import Testing

@testable import EarpieceGuidance

/// The recognizer on a noisy line: it hears the noise suppressor's output once the line's noise floor is over
/// the configured level, and the raw audio on a clean line (docs/recognizer.md, "Noise").
@Suite("Recognizer on a noisy line", .serialized)
struct RecognizerNoiseTests {
    /// Words of the customer's lines in the first minute of the pricing call that `text` gets wrong (substituted,
    /// left out or added), and how many words the lines have.
    private static func wordErrors(_ text: [Substring], against lines: [SpokenLine]) -> (errors: Int, words: Int) {
        let reference = lines.flatMap { $0.text.split(separator: " ") }
        var previous = Array(0...text.count)
        for (i, word) in reference.enumerated() {
            var current = [i + 1] + [Int](repeating: 0, count: text.count)
            for j in text.indices {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (word == text[j] ? 0 : 1))
            }
            previous = current
        }
        return (previous[text.count], reference.count)
    }

    private static func transcribe(_ call: FixtureCall, suppression: NoiseSuppressionLevel?) throws -> (words: [Substring], hearsCleaned: Bool) {
        let pool = RecognizerPool(configuration: RecognizerConfiguration(noiseSuppression: suppression),
                                  transcriptCapacity: 1, keyphraseCapacity: 0)
        var recognizer = try lease(pool, .transcript)
        let events = try recognize(samples(of: call, channel: 1, fromMs: 0, toMs: 60_000), with: &recognizer)
        return (events.finals.flatMap { $0.text.split(separator: " ") }, recognizer.hearsCleaned)
    }

    @Test func onTheNoisyCallTheSuppressedAudioIsHeardAndGetsMoreWordsRight() throws {
        let noisy = try FixtureCall(name: "pricing-call", audio: "-noise20")
        let lines = try SpokenLine.lines(of: "pricing-call", speaker: "customer").filter { $0.endMs <= 60_000 }
        let raw = try Self.transcribe(noisy, suppression: nil)
        let suppressed = try Self.transcribe(noisy, suppression: .aggressive)
        #expect(!raw.hearsCleaned && suppressed.hearsCleaned)
        let before = Self.wordErrors(raw.words, against: lines), after = Self.wordErrors(suppressed.words, against: lines)
        #expect(after.errors < before.errors, "word errors \\(before.errors) raw, \\(after.errors) suppressed, of \\(before.words)")
    }

    @Test func onTheCleanCallTheRawAudioIsHeardAndTheWordsAreTheSame() throws {
        let clean = try FixtureCall.named("pricing-call")
        let plain = try Self.transcribe(clean, suppression: nil)
        let configured = try Self.transcribe(clean, suppression: .aggressive)
        #expect(!configured.hearsCleaned)
        #expect(configured.words == plain.words)
    }

    @Test func aFramesLevelIsInDecibelsOfFullScale() {
        #expect(SpeechRecognizer.level([Int16](repeating: 0, count: 320)[...]) == -120)
        let full = SpeechRecognizer.level([Int16](repeating: 32_767, count: 320)[...])
        #expect(abs(full) < 0.01)
        let tenth = SpeechRecognizer.level([Int16](repeating: 3_277, count: 320)[...])
        #expect(abs(tenth + 20) < 0.01)
    }
}
