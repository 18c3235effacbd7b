import EarpieceAudio
import Foundation

/// Computes a call's summary from its audio, pushed in chunks of any size: the VAD per channel feeds the talk,
/// silence and turn figures, and a transcript recognizer per channel (gated like live guidance) feeds words,
/// questions and intents. `docs/summary.md` defines what it computes.
///
/// Only the current 20 ms frame of audio is kept, so memory does not grow with the call's length; the result
/// grows by one entry per question or intent. The recognizers are leased from the pool for the analyzer's
/// lifetime and go back when it finishes or is dropped.
public struct SummaryAnalyzer: ~Copyable {
    /// 1 (mono: one `unknown` speaker) or 2 (channel 0 the rep, channel 1 the customer).
    public let channelCount: Int
    public let configuration: SummaryConfiguration

    private var firstDetector: VoiceActivityDetector
    private var secondDetector: VoiceActivityDetector?
    private var firstRecognizer: SpeechRecognizer
    private var secondRecognizer: SpeechRecognizer?
    private var intents: TranscriptIntents
    private var tally: ConversationTally
    private let speakers: [Speaker]
    private var wordCounts: [Int]
    private var questionCounts: [Int]
    private var questions: [SummaryQuestion] = []
    private var found: [SummaryIntent] = []
    /// The frame being filled: `channelCount` runs of `AnalysisFrame.sampleCount` samples.
    private var frame: [Int16]
    private var pendingSamples = 0
    private var events: [RecognitionEvent] = []
    private var candidates: [Hint] = []

    /// The transcript recognizer's most accurate settings we have: second passes on (the default) and the
    /// sales-call language model of `modelsDirectory` (`language/sales-calls.lm`) mixed into the general one.
    public static func bestAccuracy(modelsDirectory: URL, base: RecognizerConfiguration = RecognizerConfiguration()) -> RecognizerConfiguration {
        var configuration = base
        configuration.domainLanguageModel = modelsDirectory.appendingPathComponent("language").appendingPathComponent("sales-calls.lm").path
        configuration.transcriptDecoderOptions = base.transcriptDecoderOptions.secondPassesKept
        return configuration
    }

    /// Leases a transcript recognizer per channel from `pool`; throws when the pool has none free or the model
    /// cannot be loaded.
    public init(channelCount: Int, pool: RecognizerPool, intentModel: IntentModel, playbook: Playbook,
                configuration: SummaryConfiguration = SummaryConfiguration()) throws(SummaryError) {
        guard channelCount == 1 || channelCount == 2 else { throw .unsupportedChannelCount(channelCount) }
        let first = try Self.detector(configuration.voiceActivity)
        var second: VoiceActivityDetector?
        if channelCount == 2 { second = try Self.detector(configuration.voiceActivity) }
        let firstRecognizer = try Self.lease(from: pool)
        var secondRecognizer: SpeechRecognizer?
        if channelCount == 2 { secondRecognizer = try Self.lease(from: pool) }
        firstDetector = first
        secondDetector = second
        self.firstRecognizer = firstRecognizer
        self.secondRecognizer = secondRecognizer
        self.channelCount = channelCount
        self.configuration = configuration
        speakers = Speaker.byChannel(channelCount: channelCount)
        intents = TranscriptIntents(model: intentModel, playbook: playbook, speakers: speakers, updates: .phrases)
        tally = ConversationTally(channelCount: channelCount, configuration: configuration)
        wordCounts = [Int](repeating: 0, count: channelCount)
        questionCounts = wordCounts
        frame = [Int16](repeating: 0, count: channelCount * AnalysisFrame.sampleCount)
        events.reserveCapacity(8)
    }

    private static func detector(_ configuration: VoiceActivityDetector.Configuration) throws(SummaryError) -> VoiceActivityDetector {
        do { return try VoiceActivityDetector(configuration: configuration) } catch { throw .voiceActivityDetector(error) }
    }

    private static func lease(from pool: RecognizerPool) throws(SummaryError) -> SpeechRecognizer {
        let leased: SpeechRecognizer?
        do { leased = try pool.acquire(.transcript) } catch { throw .recognizer(error) }
        guard let leased else { throw .noDecoderAvailable }
        return leased
    }

    /// Summarizes a whole Ogg Opus recording held in memory, decoding it a page at a time.
    ///
    /// `shouldStop` is asked before each 64 KiB of the file; once it says yes, the analysis throws `stopped`.
    public static func analyze(oggOpus bytes: [UInt8], pool: RecognizerPool, intentModel: IntentModel, playbook: Playbook,
                               hints: [SummaryHint] = [], configuration: SummaryConfiguration = SummaryConfiguration(),
                               shouldStop: () -> Bool = { false }) throws(SummaryError) -> CallSummary {
        var decoder = OggOpusPCMDecoder()
        var analyzer: SummaryAnalyzer?
        var start = 0
        repeat {
            if shouldStop() { throw .stopped }
            let end = min(bytes.count, start + 64 * 1024)
            let pcm: PCMBuffer?
            do { pcm = try decoder.push(Array(bytes[start..<end])) } catch { throw .audio(error) }
            if let pcm {
                if analyzer == nil {
                    analyzer = try SummaryAnalyzer(channelCount: pcm.channels.count, pool: pool, intentModel: intentModel,
                                                   playbook: playbook, configuration: configuration)
                }
                analyzer?.push(pcm)
            }
            start = end
        } while start < bytes.count
        do { try decoder.finish() } catch { throw .audio(error) }
        if analyzer == nil, let head = decoder.head {
            // Headers but no audio: a call that ended at once still gets its (empty) summary.
            analyzer = try SummaryAnalyzer(channelCount: head.channelCount, pool: pool, intentModel: intentModel,
                                           playbook: playbook, configuration: configuration)
        }
        guard let finished = analyzer.take() else { throw .audio(.truncated(.ogg, "the recording holds no Opus stream")) }
        return finished.finish(hints: hints)
    }

    /// Analyses a chunk of 16 kHz audio of every channel; chunks may have any length.
    ///
    /// `pcm` must have the analyzer's channel count and rate, as the recording's decoder writes; anything else
    /// is a programming error and traps.
    public mutating func push(_ pcm: PCMBuffer) {
        precondition(pcm.channels.count == channelCount, "PCMBuffer has \(pcm.channels.count) channels, the analyzer \(channelCount)")
        precondition(pcm.sampleRate == AnalysisFrame.sampleRate, "summaries analyse 16 kHz audio, not \(pcm.sampleRate) Hz")
        let available = pcm.channels[0].count
        var offset = 0
        while offset < available {
            let count = min(AnalysisFrame.sampleCount - pendingSamples, available - offset)
            for channel in 0..<channelCount {
                let start = channel * AnalysisFrame.sampleCount + pendingSamples
                frame.replaceSubrange(start..<(start + count), with: pcm.channels[channel][offset..<(offset + count)])
            }
            pendingSamples += count
            offset += count
            if pendingSamples == AnalysisFrame.sampleCount { completeFrame() }
        }
    }

    private mutating func completeFrame() {
        let length = AnalysisFrame.sampleCount
        var activity = SpeechActivity.silence
        if firstDetector.isSpeech(frame[0..<length]) { activity.markSpeaking(channel: 0) }
        if secondDetector?.isSpeech(frame[length..<(2 * length)]) == true { activity.markSpeaking(channel: 1) }
        let index = tally.frames
        firstRecognizer.process(frame[0..<length], isSpeech: activity.isSpeaking(channel: 0), frameIndex: index, into: &events)
        takeEvents(channel: 0)
        secondRecognizer?.process(frame[length..<(2 * length)], isSpeech: activity.isSpeaking(channel: 1), frameIndex: index, into: &events)
        takeEvents(channel: 1)
        tally.advance(activity)
        pendingSamples = 0
    }

    private mutating func takeEvents(channel: Int) {
        guard !events.isEmpty else { return }
        for event in events {
            if case .transcript(let update) = event, update.isFinal { record(update, channel: channel) }
        }
        events.removeAll(keepingCapacity: true)
    }

    private mutating func record(_ final: TranscriptUpdate, channel: Int) {
        candidates.removeAll(keepingCapacity: true)
        // Every final goes to the intent stage, even a wordless one: it closes the speaker's utterance there.
        intents.handle(final, channel: channel, audioTimeMs: final.endMs ?? 0, into: &candidates)
        guard let startMs = final.startMs, let endMs = final.endMs else { return }
        let words = final.words.map(\.text)
        wordCounts[channel] += words.count
        if QuestionLeads.isQuestion(words) {
            questionCounts[channel] += 1
            questions.append(SummaryQuestion(atMs: startMs, speaker: speakers[channel], text: leadingExcerpt(words)))
        }
        for hint in candidates {
            guard let intent = hint.kind.intent else { continue }
            found.append(SummaryIntent(atMs: startMs, endMs: endMs, speaker: hint.speaker, kind: intent,
                                       confidence: hint.confidence, competitor: hint.competitor, excerpt: trailingExcerpt(words)))
        }
    }

    /// A question's first words: its lead is what makes it one.
    private func leadingExcerpt(_ words: [String]) -> String {
        words.count <= configuration.excerptWords
            ? words.joined(separator: " ") : words.prefix(configuration.excerptWords).joined(separator: " ") + " …"
    }

    /// An intent's last words: the model decides on an utterance's tail.
    private func trailingExcerpt(_ words: [String]) -> String {
        words.count <= configuration.excerptWords
            ? words.joined(separator: " ") : "… " + words.suffix(configuration.excerptWords).joined(separator: " ")
    }

    /// Ends the speakers' open utterances, returns the recognizers to their pool and states the summary, with
    /// the live `hints` copied in. Audio short of a whole 20 ms frame at the end is left out.
    public consuming func finish(hints: [SummaryHint] = []) -> CallSummary {
        firstRecognizer.finish(into: &events)
        takeEvents(channel: 0)
        secondRecognizer?.finish(into: &events)
        takeEvents(channel: 1)
        tally.finish()
        // Channel order breaks ties, so the result does not depend on which recognizer reported first.
        let channelOf = { (speaker: Speaker) in speaker == .customer ? 1 : 0 }
        let questions = self.questions.sorted { ($0.atMs, channelOf($0.speaker)) < ($1.atMs, channelOf($1.speaker)) }
        let intents = found.sorted { ($0.atMs, channelOf($0.speaker)) < ($1.atMs, channelOf($1.speaker)) }
        let silences = tally.longSilences.map { ConversationTally.ms($0.start)..<ConversationTally.ms($0.end) }
        let monologue = tally.longestMonologue
        return CallSummary(
            channels: channelCount, durationMs: ConversationTally.ms(tally.frames),
            silenceMs: ConversationTally.ms(tally.silenceFrames),
            silenceShare: ConversationTally.percent(tally.silenceFrames, of: tally.frames),
            speakerSwitches: tally.switches, interactivity: tally.switchesPerMinute,
            speakers: tally.speakerFigures(words: wordCounts, questions: questionCounts),
            longestMonologue: monologue, questions: questions, intents: intents, hints: hints,
            keyMoments: KeyMomentRanking.select(longestMonologue: monologue, silences: silences, hints: hints,
                                                intents: intents, configuration: configuration))
    }
}

extension [String] {
    /// Decoder options with any switch that turns PocketSphinx's second passes off removed.
    fileprivate var secondPassesKept: [String] {
        var kept: [String] = []
        var index = startIndex
        while index < endIndex {
            let name = self[index]
            if name == "-fwdflat" || name == "-bestpath" {
                index += 2
                continue
            }
            kept.append(name)
            index += 1
        }
        return kept
    }
}
