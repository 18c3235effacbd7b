@testable import EarpieceGuidance
import Foundation
import Testing

/// The transcript tier's content stage on the product's own model and playbook.
@Suite("Transcript intents")
struct TranscriptIntentsTests {
    static let models = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Models")

    private static func stage(updates: TranscriptIntents.Updates = .finals, channels: Int = 2) throws -> TranscriptIntents {
        let model = try IntentModel(contentsOf: models.appendingPathComponent(GuidanceModels.intentModelFileName))
        let playbook = try Playbook.loadDefault(from: models.appendingPathComponent("playbook.json"), isKnownWord: { _ in true })
        return TranscriptIntents(model: model, playbook: playbook, speakers: Speaker.byChannel(channelCount: channels), updates: updates)
    }

    /// A recognizer update of `text`, its words 300 ms apart from `startMs`.
    private static func update(_ text: String, final: Bool = true, startMs: Int = 10_000) -> TranscriptUpdate {
        let words = text.split(separator: " ").enumerated().map { index, word in
            RecognizedWord(text: String(word), startMs: startMs + index * 300, endMs: startMs + index * 300 + 250)
        }
        return TranscriptUpdate(words: words, isFinal: final)
    }

    private static func hints(_ stage: inout TranscriptIntents, _ text: String, channel: Int, final: Bool = true) -> [Hint] {
        var candidates: [Hint] = []
        stage.handle(update(text, final: final), channel: channel, audioTimeMs: 12_345, into: &candidates)
        return candidates
    }

    @Test func aCustomersObjectionBecomesAHintThatNamesItsWords() throws {
        var stage = try Self.stage()
        let hints = Self.hints(&stage, "that is way too pricey for us", channel: 1)
        let hint = try #require(hints.first)
        #expect(hints.count == 1)
        #expect(hint.kind == .pricingObjection && hint.speaker == .customer && hint.audioTimeMs == 12_345)
        // The trigger is the model's own explanation: words of the utterance, from its objection ("way too
        // pricey"), not the filler around it. Which of those words weigh most depends on the trained weights.
        let trigger = hint.trigger.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        #expect("that is way too pricey for us".contains(trigger))
        #expect(["way", "too", "pricey"].contains { trigger.split(separator: " ").contains(Substring($0)) })
        #expect(!trigger.split(separator: " ").contains("that") && !trigger.split(separator: " ").contains("us"))
        #expect(hint.confidence >= 0.6 && hint.confidence <= 1)
        #expect(hint.title == "Pricing objection")
    }

    @Test func theRepsPitchIsNotTheCustomersConcernButTheRepsNextStepIs() throws {
        var stage = try Self.stage()
        #expect(Self.hints(&stage, "that is way too pricey for us", channel: 0).isEmpty)
        #expect(Self.hints(&stage, "is our data encrypted", channel: 0).isEmpty)
        #expect(Self.hints(&stage, "let me send over a proposal today", channel: 0).map(\.kind) == [.nextStep])
    }

    @Test func byDefaultOnlyTheFinalHypothesisIsDecidedOn() throws {
        var stage = try Self.stage()
        #expect(Self.hints(&stage, "that is way too pricey for us", channel: 1, final: false).isEmpty)
        #expect(Self.hints(&stage, "that is way too pricey for us", channel: 1, final: true).map(\.kind) == [.pricingObjection])
    }

    @Test func withPartialsAnIntentFiresOncePerUtteranceAsTheWordsBecomeStable() throws {
        var stage = try Self.stage(updates: .partials)
        var fired: [Hint] = []
        for count in 1...7 {
            let words = "that is way too pricey for us".split(separator: " ").prefix(count).joined(separator: " ")
            // Each partial twice: a word counts once the next partial still has it.
            fired += Self.hints(&stage, words, channel: 1, final: false)
            fired += Self.hints(&stage, words, channel: 1, final: false)
        }
        fired += Self.hints(&stage, "that is way too pricey for us", channel: 1)
        #expect(fired.map(\.kind) == [.pricingObjection])
        // The next utterance may fire it again.
        #expect(Self.hints(&stage, "honestly the price is way above our budget", channel: 1).map(\.kind) == [.pricingObjection])
    }

    @Test func aCompetitorMentionNamesTheCompetitorEvenMisheard() throws {
        var stage = try Self.stage()
        let hint = try #require(Self.hints(&stage, "okay but we are evaluating acne as well", channel: 1).first)
        #expect(hint.kind == .competitorMention)
        #expect(hint.competitor == "Acme")
        #expect(hint.title == "Acme mentioned")
        // The trigger quotes the name as it was heard, with the words that made it a mention.
        #expect(hint.trigger.contains("acne"))
        // The model may take an unknown word for a company; the playbook lists who the competitors are.
        #expect(Self.hints(&stage, "okay but we are evaluating zebra as well", channel: 1).filter { $0.kind == .competitorMention }.isEmpty)
    }

    @Test func aCompetitorNamedExactlyByTheCustomerIsAMentionWhateverTheModelReads() throws {
        var stage = try Self.stage()
        // A long line whose other words the model reads as something else, or as nothing.
        let line = "they have been trying globex for a month but nobody on the team is convinced"
        let hint = try #require(Self.hints(&stage, line, channel: 1).first { $0.kind == .competitorMention })
        #expect(hint.competitor == "Globex" && hint.speaker == .customer)
        #expect(hint.trigger.contains("globex"))
        #expect(hint.confidence >= Double(TranscriptIntents.namedCompetitorConfidence))
        // The rep naming one is a pitch ("unlike globex…"), not news.
        #expect(Self.hints(&stage, line, channel: 0).isEmpty)
        // On a mono track the line is taken, with speaker unknown.
        var mono = try Self.stage(channels: 1)
        #expect(Self.hints(&mono, line, channel: 0).first { $0.kind == .competitorMention }?.speaker == .unknown)
        // A near miss is everyday talk on its own: it needs the model too.
        #expect(Self.hints(&stage, "she was looking at me when the meeting ran long", channel: 1)
            .filter { $0.kind == .competitorMention }.isEmpty)
        // Once per utterance, however often the name comes.
        #expect(Self.hints(&stage, "acme here and acme there and we use acme", channel: 1)
            .filter { $0.kind == .competitorMention }.count == 1)
    }

    @Test func aMonoCallHearsEveryIntentFromItsOneTrack() throws {
        var stage = try Self.stage(channels: 1)
        let hints = Self.hints(&stage, "my boss decides on tools like this", channel: 0)
        #expect(hints.map(\.kind) == [.authorityObjection])
        #expect(hints.first?.speaker == .unknown)
    }

    /// Words of `text` 300 ms apart from `startMs`, then, after a `pauseMs` pause, the words of `then`.
    private static func words(_ text: String, startMs: Int, pauseMs: Int, then: String) -> [RecognizedWord] {
        let first = update(text, startMs: startMs).words
        let next = update(then, startMs: first.last!.endMs + pauseMs).words
        return first + next
    }

    @Test func aMonoTracksPhraseIsDecidedWhenAPartialShowsItEndedAndNotAgainAtTheFinal() throws {
        var stage = try Self.stage(updates: .endedPhrases, channels: 1)
        let line = "we are using acme right now but it is pretty clunky"
        var hints: [Hint] = []
        // While the customer speaks there is no pause yet: nothing is decided.
        stage.handle(Self.update(line, final: false), channel: 0, audioTimeMs: 13_500, into: &hints)
        #expect(hints.isEmpty)
        // The rep's first word after a 450 ms pause ends the customer's phrase: its hint comes now.
        let answered = Self.words(line, startMs: 10_000, pauseMs: 450, then: "what")
        stage.handle(TranscriptUpdate(words: answered, isFinal: false), channel: 0, audioTimeMs: 14_200, into: &hints)
        #expect(hints.map(\.kind) == [.competitorMention])
        #expect(hints.first?.audioTimeMs == 14_200 && hints.first?.competitor == "Acme")
        // Later partials and the final hold the same phrase: no second hint for it.
        let whole = Self.words(line, startMs: 10_000, pauseMs: 450, then: "what part of it slows your team down")
        stage.handle(TranscriptUpdate(words: whole, isFinal: false), channel: 0, audioTimeMs: 16_000, into: &hints)
        stage.handle(TranscriptUpdate(words: whole, isFinal: true), channel: 0, audioTimeMs: 16_800, into: &hints)
        #expect(hints.count == 1)
        // A pause shorter than a turn change is inside a sentence: the partial decides nothing.
        var close = try Self.stage(updates: .endedPhrases, channels: 1)
        var none: [Hint] = []
        let joined = Self.words(line, startMs: 20_000, pauseMs: 100, then: "what")
        close.handle(TranscriptUpdate(words: joined, isFinal: false), channel: 0, audioTimeMs: 24_000, into: &none)
        #expect(none.isEmpty)
        // The next utterance starts afresh: the same intent may fire again.
        stage.handle(TranscriptUpdate(words: Self.words("we also looked at acme last year", startMs: 30_000, pauseMs: 500,
                                                        then: "okay"), isFinal: false),
                     channel: 0, audioTimeMs: 33_000, into: &hints)
        #expect(hints.map(\.kind) == [.competitorMention, .competitorMention])
    }

    @Test func namesAreHeardThroughTheRecognizersNearMisses() {
        let hearing = CompetitorHearing(competitors: ["Acme", "Globex", "SAP"])
        #expect(hearing.competitor(in: ["we", "use", "acme"]) == "Acme")
        #expect(hearing.competitor(in: ["evaluating", "acne", "as", "well"]) == "Acme")
        #expect(hearing.competitor(in: ["looking", "at", "me", "too"]) == "Acme")
        #expect(hearing.competitor(in: ["maybe", "but", "club", "ex", "quoted"]) == "Globex")
        #expect(hearing.competitor(in: ["we", "run", "sap"]) == "SAP")
        // Short names must be heard exactly; ordinary talk names nobody.
        #expect(hearing.competitor(in: ["we", "run", "sip"]) == nil)
        // An exact spelling is told from a near one, and wins over it.
        #expect(hearing.heard(in: ["we", "use", "acme"])?.exactly == true)
        #expect(hearing.heard(in: ["evaluating", "acne"])?.exactly == false)
        #expect(hearing.heard(in: ["at", "me", "or", "acme"]).map { ($0.words, $0.exactly) } ?? (0..<0, false) == (3..<4, true))
        #expect(hearing.competitor(in: ["things", "fall", "through", "the", "cracks"]) == nil)
        #expect(CompetitorHearing.editDistance(Array("kitten".utf8), Array("sitting".utf8)) == 3)
    }
}

@Suite struct TranscriptIntentsLiveUpdatesTests {
    @Test func liveGuidanceDecidesAMonoTrackPhraseByPhraseAsEachEndsAndStereoOnWholeFinals() {
        #expect(TranscriptIntents.Updates.live(speakers: Speaker.byChannel(channelCount: 1)) == .endedPhrases)
        #expect(TranscriptIntents.Updates.live(speakers: Speaker.byChannel(channelCount: 2)) == .finals)
    }
}
