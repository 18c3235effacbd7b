import EarpieceAudio
import Foundation
import Testing

@testable import EarpieceGuidance

/// Feeds a tally `(seconds, activity)` segments, each a run of 20 ms frames, and closes it.
private func tally(_ segments: [(seconds: Double, activity: SpeechActivity)], channels: Int) -> ConversationTally {
    var tally = ConversationTally(channelCount: channels)
    for segment in segments {
        for _ in 0..<Int((segment.seconds * 50).rounded()) { tally.advance(segment.activity) }
    }
    tally.finish()
    return tally
}

@Suite("Summary figures from speech timelines")
struct SummaryFigureTests {
    /// 51.4 s: the rep talks through a backchannel, the customer answers, 12 s of silence, then the customer
    /// talks over the rep and keeps the floor.
    static let stereoCall: [(seconds: Double, activity: SpeechActivity)] = [
        (2, nobody), (10, rep), (0.4, nobody), (0.6, customer), (0.4, nobody), (8, rep), (3, nobody),
        (6, customer), (12, nobody), (3, rep), (2, both), (3, customer), (1, nobody),
    ]

    @Test func talkSharesCountEachChannelsSpeechFramesOverlapForBoth() {
        let figures = tally(Self.stereoCall, channels: 2).speakerFigures(words: [60, 29], questions: [3, 1])
        #expect(figures.map(\.speaker) == [.rep, .customer])
        #expect(figures.map(\.talkMs) == [23_000, 11_600])
        // 23 / 34.6 and 11.6 / 34.6.
        #expect(figures.map(\.talkShare) == [66.5, 33.5])
        #expect(figures.map(\.questions) == [3, 1])
    }

    @Test func wordsPerMinuteAreWordsOverTheSpeakersOwnTalkMinutes() {
        let figures = tally(Self.stereoCall, channels: 2).speakerFigures(words: [60, 29], questions: [0, 0])
        // 60 words in 23 s, 29 in 11.6 s.
        #expect(figures.map(\.wordsPerMinute) == [156.5, 150])
        let silent = tally([(5, nobody)], channels: 2).speakerFigures(words: [0, 0], questions: [0, 0])
        #expect(silent.map(\.wordsPerMinute) == [0, 0])
        #expect(silent.map(\.talkShare) == [0, 0])
    }

    @Test func silenceShareIsTheShareOfTheCallWithNoSpeechOnAnyChannel() {
        let tally = tally(Self.stereoCall, channels: 2)
        #expect(ConversationTally.ms(tally.frames) == 51_400)
        #expect(ConversationTally.ms(tally.silenceFrames) == 18_800)
        #expect(ConversationTally.percent(tally.silenceFrames, of: tally.frames) == 36.6)
    }

    @Test func aBackchannelAndAShortPauseDoNotEndTheRepsMonologue() {
        let tally = tally(Self.stereoCall, channels: 2)
        // 2.0–21.4 s: the customer's 0.6 s "mm-hmm" and the rep's 1.4 s pause stay inside the turn.
        #expect(tally.longestMonologue == SummaryMonologue(speaker: .rep, startMs: 2_000, endMs: 21_400))
        #expect(tally.longestMonologue?.durationMs == 19_400)
    }

    @Test func theFloorPassesOnceTheOtherSideTalksForASecondAndSwitchesArePerMinute() {
        let tally = tally(Self.stereoCall, channels: 2)
        // rep (2–21.4), customer (24.4–30.4), rep (42.4–46.4, when the customer's overlap reached 1 s),
        // customer (45.4–50.4): three switches in 51.4 s.
        #expect(tally.turns == [2, 2])
        #expect(tally.switches == 3)
        #expect(tally.switchesPerMinute == 3.5)
        #expect(tally.longSilences == [ConversationTally.Span(channel: -1, start: 1_520, end: 2_120)])
    }

    @Test func aSpeakerResumingAfterALongPauseStartsANewTurnButNoSwitch() {
        let tally = tally([(1, rep), (2, nobody), (1, rep), (0.5, nobody), (2, customer)], channels: 2)
        #expect(tally.turns == [2, 1])
        #expect(tally.switches == 1)
    }

    @Test func aMonoCallHasOneUnknownSpeakerAndTurnsSplitOnlyByPauses() {
        let tally = tally([(1, nobody), (5, voice), (1, nobody), (5, voice), (2, nobody), (3, voice), (11, nobody)], channels: 1)
        let figures = tally.speakerFigures(words: [39], questions: [2])
        #expect(figures == [SpeakerFigures(speaker: .unknown, talkMs: 13_000, talkShare: 100, words: 39, wordsPerMinute: 180,
                                           turns: 2, questions: 2)])
        #expect(tally.longestMonologue == SummaryMonologue(speaker: .unknown, startMs: 1_000, endMs: 12_000))
        #expect(tally.switches == 0)
        #expect(ConversationTally.percent(tally.silenceFrames, of: tally.frames) == 53.6)
        // The 11 s at the end come after the last word: the call is over, not silent.
        #expect(tally.longSilences.isEmpty)
    }

    @Test func aSilenceIsLongOnlyPastTenSecondsAndBetweenSpeech() {
        let exactly = tally([(12, nobody), (1, voice), (10, nobody), (1, voice)], channels: 1)
        #expect(exactly.longSilences.isEmpty)
        let longer = tally([(1, voice), (10.02, nobody), (1, voice)], channels: 1)
        #expect(longer.longSilences == [ConversationTally.Span(channel: -1, start: 50, end: 551)])
    }
}

@Suite("Summary questions and key moments")
struct SummaryHeuristicTests {
    @Test(arguments: [
        ("how does your team handle support calls today", true),
        ("so what would the business plan cost us", true),
        ("hmm when could we go live", true),
        ("could i join a call with your boss", true),
        ("is it encrypted at rest", true),
        ("do you have a minute", true),
        ("okay so which plan fits", true),
        ("who else is involved in this decision", true),
        ("we use your basic plan", false),
        ("is", false),
        ("will do", false),
        ("that is fair a lot of teams look at acme", false),
        ("okay so well what now", false),
        ("", false),
    ])
    func aQuestionIsGuessedFromItsLeadWords(text: String, isQuestion: Bool) {
        let words = text.split(separator: " ").map(String.init)
        #expect(QuestionLeads.isQuestion(words) == isQuestion, "\"\(text)\"")
    }

    @Test func keyMomentsAreAtMostEightInTimeOrderRankedByKind() {
        let intents = (0..<10).map { index in
            SummaryIntent(atMs: 10_000 * (index + 1), endMs: 10_000 * (index + 1) + 2_000, speaker: .customer,
                          kind: .pricingObjection, confidence: 0.5 + Double(index) / 100, excerpt: "")
        }
        let hints = [SummaryHint(id: "h-1", kind: .nextStep, audioTimeMs: 5_000, feedback: .used),
                     SummaryHint(id: "h-2", kind: .longSilence, audioTimeMs: 6_000, feedback: .dismissed),
                     SummaryHint(id: "h-3", kind: .overlap, audioTimeMs: 7_000)]
        let moments = KeyMomentRanking.select(
            longestMonologue: SummaryMonologue(speaker: .rep, startMs: 200_000, endMs: 240_000),
            silences: [150_000..<161_000, 170_000..<185_000], hints: hints, intents: intents,
            configuration: SummaryConfiguration())
        #expect(moments == [
            KeyMoment(atMs: 5_000, kind: .hintUsed, label: "next_step"),
            KeyMoment(atMs: 60_000, kind: .intent, speaker: .customer, label: "pricing_objection"),
            KeyMoment(atMs: 70_000, kind: .intent, speaker: .customer, label: "pricing_objection"),
            KeyMoment(atMs: 80_000, kind: .intent, speaker: .customer, label: "pricing_objection"),
            KeyMoment(atMs: 90_000, kind: .intent, speaker: .customer, label: "pricing_objection"),
            KeyMoment(atMs: 100_000, kind: .intent, speaker: .customer, label: "pricing_objection"),
            KeyMoment(atMs: 170_000, kind: .longSilence, durationMs: 15_000),
            KeyMoment(atMs: 200_000, kind: .monologue, speaker: .rep, durationMs: 40_000),
        ])
    }

    @Test func aShortLongestTurnIsNoKeyMoment() {
        let moments = KeyMomentRanking.select(
            longestMonologue: SummaryMonologue(speaker: .rep, startMs: 0, endMs: 29_980), silences: [], hints: [],
            intents: [], configuration: SummaryConfiguration())
        #expect(moments.isEmpty)
    }

    @Test func theSummaryEncodesWithSnakeCaseKeysAndVersionOne() throws {
        let summary = CallSummary(
            channels: 2, durationMs: 60_000, silenceMs: 6_000, silenceShare: 10, speakerSwitches: 4, interactivity: 4,
            speakers: [SpeakerFigures(speaker: .rep, talkMs: 30_000, talkShare: 60, words: 80, wordsPerMinute: 160, turns: 2, questions: 1),
                       SpeakerFigures(speaker: .customer, talkMs: 20_000, talkShare: 40, words: 50, wordsPerMinute: 150, turns: 2, questions: 0)],
            longestMonologue: SummaryMonologue(speaker: .rep, startMs: 1_000, endMs: 21_000),
            questions: [SummaryQuestion(atMs: 1_000, speaker: .rep, text: "how are you")],
            intents: [SummaryIntent(atMs: 30_000, endMs: 32_000, speaker: .customer, kind: .competitorMention,
                                    confidence: 0.91, competitor: "Acme", excerpt: "we're evaluating acme")],
            hints: [SummaryHint(id: "h-1", kind: .competitorMention, audioTimeMs: 32_600, feedback: .used)],
            keyMoments: [KeyMoment(atMs: 30_000, kind: .intent, speaker: .customer, label: "competitor_mention")])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(summary), as: UTF8.self)
        #expect(json == #"{"channels":2,"duration_ms":60000,"hints":[{"audio_time_ms":32600,"feedback":"used","id":"h-1","kind":"competitor_mention"}],"intents":[{"at_ms":30000,"competitor":"Acme","confidence":0.91,"end_ms":32000,"excerpt":"we're evaluating acme","kind":"competitor_mention","speaker":"customer"}],"interactivity":4,"key_moments":[{"at_ms":30000,"kind":"intent","label":"competitor_mention","speaker":"customer"}],"longest_monologue":{"duration_ms":20000,"end_ms":21000,"speaker":"rep","start_ms":1000},"questions":[{"at_ms":1000,"speaker":"rep","text":"how are you"}],"silence_ms":6000,"silence_share":10,"speaker_switches":4,"speakers":[{"questions":1,"speaker":"rep","talk_ms":30000,"talk_share":60,"turns":2,"words":80,"words_per_minute":160},{"questions":0,"speaker":"customer","talk_ms":20000,"talk_share":40,"turns":2,"words":50,"words_per_minute":150}],"version":1}"#)
        #expect(try JSONDecoder().decode(CallSummary.self, from: Data(json.utf8)) == summary)
    }
}

// MARK: - Fixture calls through the real recognizer

/// Whether Debian's PocketSphinx model is installed: the fixture tests need it, and only its absence skips them.
private let recognizerModelInstalled = FileManager.default.fileExists(atPath: RecognizerConfiguration().acousticModelPath)

/// A fixture call's summary, computed once per test run from its Ogg Opus file with the shipped models.
struct SummarizedFixture: Sendable {
    struct Line: Decodable, Sendable {
        var speaker: String
        var start_s: Double
        var end_s: Double
        var intent: String?
        var startMs: Int { Int((start_s * 1000).rounded()) }
        var endMs: Int { Int((end_s * 1000).rounded()) }
    }
    struct Timeline: Decodable, Sendable {
        var channels: Int
        var duration_s: Double
        var utterances: [Line]
    }

    let summary: CallSummary
    let timeline: Timeline

    static let models = FixtureCall.root.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Models")
    static let pricing = Result { try SummarizedFixture(call: "pricing-call") }
    static let mono = Result { try SummarizedFixture(call: "mono-call") }

    static func named(_ call: String) throws -> SummarizedFixture {
        call == "pricing-call" ? try pricing.get() : try mono.get()
    }

    init(call: String) throws {
        timeline = try JSONDecoder().decode(Timeline.self, from: Data(contentsOf: FixtureCall.root.appendingPathComponent("\(call).json")))
        let recognizer = SummaryAnalyzer.bestAccuracy(modelsDirectory: Self.models)
        let dictionary = try PronunciationDictionary(configuration: recognizer)
        let playbook = try Playbook.loadDefault(from: Self.models.appendingPathComponent("playbook.json")) { dictionary.contains(String($0)) }
        let model = try IntentModel(contentsOf: Self.models.appendingPathComponent("intent-model.bin"))
        let pool = RecognizerPool(configuration: recognizer, transcriptCapacity: 2, keyphraseCapacity: 0)
        let bytes = Array(try Data(contentsOf: FixtureCall.root.appendingPathComponent("\(call).opus")))
        summary = try SummaryAnalyzer.analyze(oggOpus: bytes, pool: pool, intentModel: model, playbook: playbook)
    }

    /// The timeline's talk per speaker: the sum of its utterances' lengths.
    func timelineTalkMs(_ speaker: String) -> Int {
        timeline.utterances.filter { $0.speaker == speaker }.reduce(0) { $0 + $1.endMs - $1.startMs }
    }

    /// The share of the call in which no timeline utterance is under way, each taken to end `late` ms after the
    /// timeline says: the VAD's smoothing holds speech about 0.2 s past its end (`VoiceActivityDetector`).
    func timelineSilenceShare(speechEndingLateByMs late: Int) -> Double {
        var spans: [Range<Int>] = []
        for line in timeline.utterances.sorted(by: { $0.startMs < $1.startMs }) {
            let span = line.startMs..<(line.endMs + late)
            if let last = spans.last, span.lowerBound <= last.upperBound {
                spans[spans.count - 1] = last.lowerBound..<max(last.upperBound, span.upperBound)
            } else {
                spans.append(span)
            }
        }
        let talk = spans.reduce(0) { $0 + $1.count }
        return 100 - Double(talk) * 100 / (timeline.duration_s * 1000)
    }

    /// The timeline's intent utterances the summary found, one summary intent each: same kind, same speaker in
    /// stereo, and overlapping in time within evaluate.py's 2.5 s after the utterance.
    func matchedIntents() -> (found: [Line], missed: [Line]) {
        var unused = Array(summary.intents.indices)
        var found: [Line] = [], missed: [Line] = []
        for line in timeline.utterances where line.intent != nil {
            let match = unused.firstIndex { index in
                let intent = summary.intents[index]
                return intent.kind.rawValue == line.intent
                    && (timeline.channels == 1 || intent.speaker.rawValue == line.speaker)
                    && intent.atMs <= line.endMs + 2_500 && intent.endMs >= line.startMs
            }
            if let match {
                unused.remove(at: match)
                found.append(line)
            } else {
                missed.append(line)
            }
        }
        return (found, missed)
    }
}

@Suite("Summaries of the fixture calls", .enabled(if: recognizerModelInstalled,
    "PocketSphinx's en-us model is not installed (apt-get install pocketsphinx-en-us): the fixture summaries need the recognizer"))
struct SummaryFixtureTests {
    @Test func thePricingCallsTalkSharesAreWithinFivePointsOfItsTimeline() throws {
        let fixture = try SummarizedFixture.named("pricing-call")
        let rep = fixture.timelineTalkMs("rep"), customer = fixture.timelineTalkMs("customer")
        for (speaker, talk) in [(Speaker.rep, rep), (.customer, customer)] {
            let expected = Double(talk) * 100 / Double(rep + customer)
            let measured = try #require(fixture.summary.figures(of: speaker)).talkShare
            #expect(abs(measured - expected) <= 5, "\(speaker): \(measured) % measured, \(expected) % in the timeline")
        }
        #expect(fixture.summary.durationMs / 1_000 == Int(fixture.timeline.duration_s))
    }

    @Test(arguments: ["pricing-call", "mono-call"])
    func theSummaryFindsTheFixturesIntents(call: String) throws {
        let fixture = try SummarizedFixture.named(call)
        let (found, missed) = fixture.matchedIntents()
        let total = found.count + missed.count
        // Kinds and times only: transcripts stay out of the test log too.
        let listed = missed.map { "\($0.intent ?? "") (\($0.speaker), \($0.startMs) ms)" }
        let heard = fixture.summary.intents.map { "\($0.kind.rawValue) (\($0.speaker.rawValue), \($0.atMs)–\($0.endMs) ms, \($0.confidence))" }
        #expect(missed.isEmpty, "\(call): recall \(found.count) of \(total); missed \(listed); the summary has \(heard)")
    }

    @Test(arguments: ["pricing-call", "mono-call"])
    func theSilenceShareIsTheTimelinesOnceTheVADsLateEndIsAllowedFor(call: String) throws {
        let fixture = try SummarizedFixture.named(call)
        let expected = fixture.timelineSilenceShare(speechEndingLateByMs: 200)
        #expect(abs(fixture.summary.silenceShare - expected) <= 2, "\(fixture.summary.silenceShare) % measured, \(expected) % in the timeline")
    }

    @Test func theMonoCallIsOneUnknownSpeakerWithoutSwitches() throws {
        let summary = try SummarizedFixture.named("mono-call").summary
        #expect(summary.speakers.map(\.speaker) == [.unknown])
        #expect(summary.figures(of: .unknown)?.talkShare == 100)
        #expect(summary.speakerSwitches == 0)
        #expect(summary.intents.allSatisfy { $0.speaker == .unknown })
        // Both sides on one track make one long "turn" of the whole call: not a monologue worth a look.
        #expect(!summary.keyMoments.contains { $0.kind == .monologue }, "\(summary.keyMoments)")
    }

    @Test func thePricingCallsQuestionsAndTurnsLookLikeTheCall() throws {
        let summary = try SummarizedFixture.named("pricing-call").summary
        // The rep asks "how does your team …", "what is the biggest problem …", "who else is involved …",
        // "could i join …"; the customer "so what would … cost us", "hmm when could we go live".
        #expect((summary.figures(of: .rep)?.questions ?? 0) >= 3)
        #expect((summary.figures(of: .customer)?.questions ?? 0) >= 1)
        // 33 alternating lines: about 30 switches in 105 s.
        #expect((25...34).contains(summary.speakerSwitches), "\(summary.speakerSwitches) switches")
        #expect(summary.intents.allSatisfy { $0.speaker == .customer || $0.kind == .nextStep })
        #expect(summary.keyMoments.count <= 8)
    }
}

