/// The transcript tier's content stage: each speaker's utterance runs through the intent model, and an intent
/// over its playbook threshold becomes a candidate hint, once per utterance. Live, only final hypotheses are
/// decided on in stereo, and on a mono call each phrase as soon as a partial shows it ended
/// (`docs/guidance.md` has the measurements); in stereo only `next_step` is taken from the rep.
///
/// With `.partials`, a partial hypothesis's last words are often still changing ("the price" on its way to "the prices keep"):
/// the model is given only the stable words of a partial, those the previous partial already had in the same
/// places, and every word of a final. That costs one partial interval (~100 ms) and keeps a word heard halfway
/// from firing a hint. An intent also needs two words of evidence: one word alone ("live", "down") is too
/// little to interrupt a rep with.
///
/// The speaker's `IntentWindow` follows those words by difference: when they only grew, the new words are
/// pushed; when the tail was revised, the changed words are popped first. So an update costs a few window rows
/// per word that changed, and nothing is allocated for it.
struct TranscriptIntents: Sendable {
    private let model: IntentModel
    private let playbook: Playbook
    private let speakers: [Speaker]
    private var windows: [IntentWindow]
    /// The words of each speaker's current utterance that the window was last given (its tail, at most the
    /// window's capacity, is what the window holds).
    private var words: [[String]]
    /// Per speaker: the previous partial's words, to tell which words are stable.
    private var lastPartial: [[String]]
    /// Per speaker and intent: fired in the current utterance already.
    private var fired: [[Bool]]
    private var probabilities: [Float]

    /// Which hypotheses the model decides on.
    enum Updates: Sendable, Equatable {
        /// The stable words of every partial, and the final: earliest hints.
        case partials
        /// Only each utterance's final words: the recognizer's best (second-pass) hypothesis, about 0.6 s after
        /// the utterance ends.
        case finals
        /// Finals, each decided phrase by phrase: where the words pause (`phrasePauseMs`), a sentence or, on a
        /// mono call, the speaker has usually changed, and one window would mix them. For summaries, and live on
        /// a mono call; on a stereo call live it found no more intents and added false ones from long monologues
        /// (measured).
        case phrases
        /// As `.phrases`, and each phrase of a partial hypothesis as soon as a later word shows that it ended
        /// (the pause after it is `phrasePauseMs` or more): on a mono call the customer's line is decided when
        /// the rep starts to answer, not when the merged utterance ends seconds later. The final still decides
        /// every phrase; an intent fired from a partial does not fire again in the same utterance.
        case endedPhrases

        /// What live guidance decides on: finals, but on one track holding both sides, where a pause inside an
        /// utterance is mostly the other speaker taking over, each phrase as it ends.
        static func live(speakers: [Speaker]) -> Updates {
            speakers.allSatisfy { $0 == .unknown } ? .endedPhrases : .finals
        }
    }

    private let updates: Updates
    private let competitors: CompetitorHearing
    /// With `.endedPhrases`, per speaker: how many phrases of the current utterance partials have decided.
    private var phrasesDecided: [Int]

    init(model: IntentModel, playbook: Playbook, speakers: [Speaker], updates: Updates = .finals) {
        self.updates = updates
        competitors = CompetitorHearing(competitors: playbook.competitors)
        self.model = model
        self.playbook = playbook
        self.speakers = speakers
        windows = speakers.map { _ in IntentWindow(model: model) }
        words = speakers.map { _ in
            var list: [String] = []
            list.reserveCapacity(64)
            return list
        }
        lastPartial = words
        fired = speakers.map { _ in [Bool](repeating: false, count: Intent.allCases.count) }
        probabilities = [Float](repeating: 0, count: model.classCount)
        phrasesDecided = [Int](repeating: 0, count: speakers.count)
    }

    /// Follows one update of `channel`'s utterance and appends the hints it earns at `audioTimeMs`.
    mutating func handle(_ update: TranscriptUpdate, channel: Int, audioTimeMs: Int, into candidates: inout [Hint]) {
        if updates == .endedPhrases, !update.isFinal {
            decideEndedPhrases(of: update, channel: channel, at: audioTimeMs, into: &candidates)
            return
        }
        if updates != .partials, !update.isFinal { return }
        if updates == .phrases || updates == .endedPhrases {
            var start = 0
            for index in update.words.indices {
                let last = index == update.words.count - 1
                if last || update.words[index + 1].startMs - update.words[index].endMs >= Self.phrasePauseMs {
                    follow(update.words[start...index], channel: channel)
                    decide(channel: channel, at: audioTimeMs, into: &candidates)
                    windows[channel].reset()
                    words[channel].removeAll(keepingCapacity: true)
                    start = index + 1
                }
            }
            lastPartial[channel].removeAll(keepingCapacity: true)
            for index in fired[channel].indices { fired[channel][index] = false }
            phrasesDecided[channel] = 0
            return
        }
        var stable = update.words.count
        if !update.isFinal {
            stable = 0
            let previous = lastPartial[channel]
            while stable < previous.count, stable < update.words.count, previous[stable] == update.words[stable].text { stable += 1 }
            lastPartial[channel].removeAll(keepingCapacity: true)
            for word in update.words { lastPartial[channel].append(word.text) }
        }
        follow(update.words[..<stable], channel: channel)
        defer {
            if update.isFinal {
                windows[channel].reset()
                words[channel].removeAll(keepingCapacity: true)
                lastPartial[channel].removeAll(keepingCapacity: true)
                for index in fired[channel].indices { fired[channel][index] = false }
            }
        }
        decide(channel: channel, at: audioTimeMs, into: &candidates)
    }

    /// Decides the phrases of a partial that a later word shows have ended and that no earlier partial decided.
    private mutating func decideEndedPhrases(of update: TranscriptUpdate, channel: Int, at audioTimeMs: Int,
                                             into candidates: inout [Hint]) {
        var start = 0, phrase = 0
        for index in update.words.indices.dropLast()
        where update.words[index + 1].startMs - update.words[index].endMs >= Self.phrasePauseMs {
            if phrase >= phrasesDecided[channel] {
                follow(update.words[start...index], channel: channel)
                decide(channel: channel, at: audioTimeMs, into: &candidates)
                windows[channel].reset()
                words[channel].removeAll(keepingCapacity: true)
                phrasesDecided[channel] = phrase + 1
            }
            phrase += 1
            start = index + 1
        }
    }

    /// Appends the hint the model's first choice for `channel`'s window earns, if any.
    private mutating func decide(channel: Int, at audioTimeMs: Int, into candidates: inout [Hint]) {
        guard windows[channel].count >= Self.minimumWords else { return }
        windows[channel].probabilities(into: &probabilities)
        // Only the model's first choice can fire: thresholds under one half must not let two intents share an
        // utterance the model gave mostly to one.
        var top = 0
        for index in probabilities.indices where probabilities[index] > probabilities[top] { top = index }
        for (index, intent) in Intent.allCases.enumerated() where !fired[channel][index] && model.classIndex(of: intent) == top {
            guard speakers[channel] != .rep || intent.isHeardFromRep, let play = playbook.activePlay(for: intent) else { continue }
            let probability = probabilities[top]
            guard Double(probability) >= play.threshold else { continue }
            var competitor: (name: String, words: Range<Int>)?
            if intent == .competitorMention, !competitors.isEmpty {
                // A playbook that lists the org's competitors wants one of them heard: the model alone takes any
                // unfamiliar word in "we're looking at …" for a company.
                guard let heard = competitors.heard(in: words[channel]) else { continue }
                competitor = (heard.name, heard.words)
            }
            fired[channel][index] = true
            candidates.append(hint(for: intent, play: play, probability: probability, channel: channel, at: audioTimeMs,
                                   competitor: competitor))
        }
        decideNamedCompetitor(channel: channel, at: audioTimeMs, into: &candidates)
    }

    /// A competitor the playbook lists, named exactly by the customer (or on a mono track), is a competitor
    /// mention whatever the model's first choice: the playbook lists the names for that, as the keyphrase tier
    /// spots them. The model reads a long line by its other words ("they have been trying acme for a month but
    /// nobody is convinced" is none to it, "globex quoted us a lot less" a pricing objection); the name is the
    /// news the rep needs. A near miss ("at me") is everyday talk and still needs the model.
    private mutating func decideNamedCompetitor(channel: Int, at audioTimeMs: Int, into candidates: inout [Hint]) {
        let index = Self.competitorIndex
        guard !fired[channel][index], speakers[channel] != .rep, !competitors.isEmpty,
              let play = playbook.activePlay(for: .competitorMention),
              let heard = competitors.heard(in: words[channel]), heard.exactly else { return }
        let probability = max(probabilities[model.classIndex(of: .competitorMention)], Self.namedCompetitorConfidence)
        fired[channel][index] = true
        candidates.append(hint(for: .competitorMention, play: play, probability: probability, channel: channel,
                               at: audioTimeMs, competitor: (heard.name, heard.words)))
    }

    private static let competitorIndex = Intent.allCases.firstIndex(of: .competitorMention)!
    /// The confidence of a competitor hint the name alone carried: as the keyphrase tier's spotted phrases, the
    /// measured precision of spotting on flite speech, rounded down (`docs/guidance.md`).
    static let namedCompetitorConfidence: Float = 0.7

    /// The fewest words an intent is decided on.
    static let minimumWords = 2
    /// With `.phrases`, a pause between two words of a final at least this long ends a phrase (measured on the
    /// fixture calls: turn changes inside one mono utterance leave 420–480 ms; words within a sentence, under 150 ms).
    static let phrasePauseMs = 300

    /// Brings `channel`'s window from the words it was given last to `latest`.
    private mutating func follow(_ latest: ArraySlice<RecognizedWord>, channel: Int) {
        // `latest` may be a slice from the middle of an utterance (one phrase of a final): offsets count from its start.
        let base = latest.startIndex
        var kept = 0
        let previous = words[channel]
        while kept < previous.count, kept < latest.count, previous[kept] == latest[base + kept].text { kept += 1 }
        let window = windows[channel]
        if previous.count - kept <= min(window.utteranceWordCount, window.historyCapacity) {
            for _ in kept..<previous.count { windows[channel].removeLast() }
            for word in latest[(base + kept)...] { windows[channel].append(word.text) }
        } else {
            // The revision reaches back past what the window remembers: start it again from the tail.
            windows[channel].reset()
            for word in latest.suffix(window.historyCapacity) { windows[channel].append(word.text) }
        }
        words[channel].removeSubrange(kept...)
        for word in latest[(base + kept)...] { words[channel].append(word.text) }
    }

    private func hint(for intent: Intent, play: Play, probability: Float, channel: Int, at audioTimeMs: Int,
                      competitor: (name: String, words: Range<Int>)?) -> Hint {
        let utterance = words[channel]
        let windowStart = utterance.count - windows[channel].count
        // The words that carried the decision, as positions in the utterance, and the competitor's name with them.
        var span = windows[channel].explain(intent: intent)
        span = (span.lowerBound + windowStart)..<(span.upperBound + windowStart)
        if let named = competitor?.words {
            span = span.isEmpty ? named : min(span.lowerBound, named.lowerBound)..<max(span.upperBound, named.upperBound)
        }
        let trigger = span.isEmpty ? Array(utterance[windowStart...]) : Array(utterance[span])
        let competitor = competitor?.name
        let (title, body) = play.rendered(naming: competitor)
        return Hint(
            id: "", kind: HintKind(intent), speaker: speakers[channel], audioTimeMs: audioTimeMs, title: title, body: body,
            trigger: "\"\(trigger.joined(separator: " "))\"",
            confidence: (Double(probability) * 100).rounded() / 100, competitor: competitor)
    }
}
