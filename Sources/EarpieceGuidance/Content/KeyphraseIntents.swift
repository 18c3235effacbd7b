/// The keyphrase tier's content stage: a phrase the recognizer spotted becomes a candidate hint for the intent
/// the playbook files it under.
struct KeyphraseIntents: Sendable {
    /// Spotting gives no calibrated probability; this is its measured precision on synthetic speech, rounded down.
    static let confidence = 0.7
    /// Two phrases of one intent this close together are one remark ("too pricey … way above our budget").
    static let sameRemarkMs = 5_000

    private let playbook: Playbook
    private let speakers: [Speaker]
    private let phrases: [String: SpottedPhrase]
    /// Per speaker and intent: when it last produced a candidate, in ms of audio.
    private var lastCandidateMs: [[Int?]]

    init(playbook: Playbook, speakers: [Speaker]) {
        self.playbook = playbook
        self.speakers = speakers
        var phrases: [String: SpottedPhrase] = [:]
        for spotted in playbook.spottedPhrases where phrases[spotted.keyphrase.text] == nil {
            phrases[spotted.keyphrase.text] = spotted
        }
        self.phrases = phrases
        lastCandidateMs = speakers.map { _ in [Int?](repeating: nil, count: Intent.allCases.count) }
    }

    /// Turns one hit on `channel` into a candidate hint at `audioTimeMs`.
    mutating func handle(_ hit: KeyphraseHit, channel: Int, audioTimeMs: Int, into candidates: inout [Hint]) {
        guard let spotted = phrases[hit.phrase], speakers[channel] != .rep || spotted.intent.isHeardFromRep,
              let play = playbook.activePlay(for: spotted.intent),
              let index = Intent.allCases.firstIndex(of: spotted.intent) else { return }
        if let last = lastCandidateMs[channel][index], hit.endMs - last < Self.sameRemarkMs { return }
        lastCandidateMs[channel][index] = hit.endMs
        let (title, body) = play.rendered(naming: spotted.competitor)
        candidates.append(Hint(
            id: "", kind: HintKind(spotted.intent), speaker: speakers[channel], audioTimeMs: audioTimeMs,
            title: title, body: body, trigger: "\"\(hit.phrase)\"", confidence: Self.confidence,
            competitor: spotted.competitor))
    }
}
