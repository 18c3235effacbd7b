import EarpieceAudio
import Testing

@testable import EarpieceGuidance

@Suite("Keyphrase recognizer on the pricing call")
struct RecognizerKeyphraseTests {
    @Test func theCustomersPlaybookPhrasesAreHeardOnceEachWithinTheirLines() throws {
        let call = try FixtureCall.named("pricing-call")
        let lines = try SpokenLine.lines(of: "pricing-call", speaker: "customer")
        let pool = RecognizerPool(transcriptCapacity: 0, keyphraseCapacity: 1)
        var recognizer = try lease(pool, .keyphrase(playbookPhrases))
        let hits = try recognize(call.pcm.channels[1][...], with: &recognizer).hits
        for phrase in ["acme", "too pricey", "encrypted", "next quarter"] {
            let line = try #require(lines.first { " \($0.text) ".contains(" \(phrase) ") })
            let found = hits.filter { $0.phrase == phrase }
            try #require(found.count == 1, "\"\(phrase)\": \(found)")
            #expect(found[0].startMs >= line.startMs - 200 && found[0].endMs <= line.endMs + 200, "\(found[0]) outside \(line.startMs)–\(line.endMs) ms")
        }
        #expect(hits.count == 4, "\(hits)")
    }

    @Test func aSilentChannelHasNoHitsEvenWhenItIsDecoded() throws {
        let pool = RecognizerPool(transcriptCapacity: 0, keyphraseCapacity: 1)
        var recognizer = try lease(pool, .keyphrase(playbookPhrases))
        // Faint deterministic noise that the VAD is told is speech, so the decoder really hears 20 s of it.
        var state: UInt32 = 1
        var frame = [Int16](repeating: 0, count: AnalysisFrame.sampleCount)
        var events: [RecognitionEvent] = []
        for index in 0..<1_000 {
            for sample in frame.indices {
                state = state &* 1_664_525 &+ 1_013_904_223
                frame[sample] = Int16(truncatingIfNeeded: Int(state >> 24) - 128) / 8
            }
            recognizer.process(frame[...], isSpeech: true, frameIndex: index, into: &events)
        }
        recognizer.finish(into: &events)
        #expect(events.hits.isEmpty, "\(events.hits)")
        #expect(recognizer.framesFed == 1_000)
    }

    @Test func aReusedKeyphraseDecoderTimesHitsFromTheNewCallsStart() throws {
        let call = try FixtureCall.named("pricing-call")
        let line = try #require(try SpokenLine.lines(of: "pricing-call", speaker: "customer").first { $0.text.contains("acme") })
        let pool = RecognizerPool(transcriptCapacity: 0, keyphraseCapacity: 1)
        var first = try lease(pool, .keyphrase(playbookPhrases))
        let firstHits = try recognize(samples(of: call, channel: 1, fromMs: 0, toMs: line.endMs + 1_000), with: &first).hits
        first.close()
        var second = try lease(pool, .keyphrase(playbookPhrases))
        let offset = line.startMs - 1_000
        let secondHits = try recognize(samples(of: call, channel: 1, fromMs: offset, toMs: line.endMs + 1_000), with: &second).hits
        let original = try #require(firstHits.first { $0.phrase == "acme" })
        let again = try #require(secondHits.first { $0.phrase == "acme" })
        #expect(abs(again.startMs - (original.startMs - offset / 20 * 20)) <= 60, "first call \(original), second \(again)")
        #expect(pool.counts.loaded(.keyphrase) == 1)
    }
}
