/// Chooses a summary's key moments: a few things worth a look, in time order (`docs/summary.md`).
///
/// Candidates are taken by rank until the limit: the longest monologue (when it is long enough and a known
/// speaker's), the longest
/// silence, hints the rep marked used, intents (most confident first), the other silences (longest first).
enum KeyMomentRanking {
    /// `silences` are the long silences' spans in call milliseconds.
    static func select(longestMonologue: SummaryMonologue?, silences: [Range<Int>], hints: [SummaryHint],
                       intents: [SummaryIntent], configuration: SummaryConfiguration) -> [KeyMoment] {
        var ranked: [KeyMoment] = []
        let minimumMonologue = AnalysisFrame.milliseconds(configuration.keyMonologue)
        // On one track both sides are one speaker: its longest turn is mostly the whole call, not someone's monologue.
        if let monologue = longestMonologue, monologue.speaker != .unknown, monologue.durationMs >= minimumMonologue {
            ranked.append(KeyMoment(atMs: monologue.startMs, kind: .monologue, speaker: monologue.speaker,
                                    durationMs: monologue.durationMs))
        }
        // Stable sorts throughout, so that equals keep call order and the choice is reproducible.
        let silencesByLength = silences.enumerated().sorted {
            ($0.element.count, -$0.offset) > ($1.element.count, -$1.offset)
        }.map { KeyMoment(atMs: $0.element.lowerBound, kind: .longSilence, durationMs: $0.element.count) }
        ranked += silencesByLength.prefix(1)
        for hint in hints where hint.feedback == .used {
            ranked.append(KeyMoment(atMs: hint.audioTimeMs, kind: .hintUsed, label: hint.kind.rawValue))
        }
        let intentsByConfidence = intents.enumerated().sorted {
            ($0.element.confidence, -$0.offset) > ($1.element.confidence, -$1.offset)
        }
        for (_, intent) in intentsByConfidence {
            ranked.append(KeyMoment(atMs: intent.atMs, kind: .intent, speaker: intent.speaker, label: intent.kind.rawValue))
        }
        ranked += silencesByLength.dropFirst()
        let chosen = ranked.prefix(configuration.keyMomentLimit).enumerated()
        return chosen.sorted { ($0.element.atMs, $0.offset) < ($1.element.atMs, $1.offset) }.map(\.element)
    }
}
