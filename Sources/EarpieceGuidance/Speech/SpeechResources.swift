/// What a process has for listening to speech: its decoder pool and its intent model, shared by every call.
///
/// Either may be missing (no recognizer model files, no weights): then the tiers that need it are never
/// admitted, and calls get the richest tier that remains.
public struct SpeechResources: Sendable {
    /// Decoders for the transcript and keyphrase tiers; nil: dynamics only.
    public let pool: RecognizerPool?
    /// The transcript tier's intent model; nil: no transcript tier.
    public let intentModel: IntentModel?

    public init(pool: RecognizerPool?, intentModel: IntentModel?) {
        self.pool = pool
        self.intentModel = intentModel
    }

    /// No recognizer at all: every call is a dynamics call.
    public static let none = SpeechResources(pool: nil, intentModel: nil)

    /// The richest tier these resources could ever give a call.
    public var richestTier: GuidanceTier {
        guard let pool else { return .dynamics }
        if intentModel != nil, pool.transcriptCapacity > 0 { return .transcript }
        return pool.keyphraseCapacity > 0 ? .keyphrase : .dynamics
    }

    /// Admits a call of `channelCount` speakers: the richest tier, at most `richest`, for which a decoder is free
    /// for every speaker, all leased at once or none.
    ///
    /// A tier whose decoders can't be made (missing model files, a phrase the dictionary lacks) is passed over
    /// like a full one; `problems` collects why, for the caller to log.
    public func lease(channelCount: Int, playbook: Playbook, richest: GuidanceTier = .transcript,
                      problems: inout [RecognizerError]) -> SpeechLease {
        var tier: GuidanceTier? = max(min(richest, richestTier), .dynamics)
        while let candidate = tier {
            switch acquire(candidate, channelCount: channelCount, playbook: playbook, problems: &problems) {
            case .some(var recognizers):
                return SpeechLease(tier: candidate, first: recognizers.first.take(), second: recognizers.second.take(),
                                   playbook: playbook, resources: self)
            case nil:
                tier = candidate.lower
            }
        }
        return SpeechLease(tier: .dynamics, first: nil, second: nil, playbook: playbook, resources: self)
    }

    /// A call's recognizers, one per speaker.
    struct Recognizers: ~Copyable {
        var first: SpeechRecognizer?
        var second: SpeechRecognizer?
    }

    /// The recognizers for `tier`, nil when the tier can't be had; dynamics needs none.
    func acquire(_ tier: GuidanceTier, channelCount: Int, playbook: Playbook,
                 problems: inout [RecognizerError]) -> Recognizers? {
        let mode: RecognizerMode
        switch tier {
        case .dynamics: return Recognizers(first: nil, second: nil)
        case .transcript:
            guard intentModel != nil else { return nil }
            mode = .transcript
        case .keyphrase:
            let phrases = playbook.spottedPhrases.map { KeyphraseTarget(text: $0.keyphrase.text, threshold: $0.keyphrase.threshold) }
            guard !phrases.isEmpty else { return nil }
            mode = .keyphrase(KeyphraseList(phrases))
        }
        guard let pool else { return nil }
        do {
            guard let first = try pool.acquire(mode) else { return nil }
            guard channelCount == 2 else { return Recognizers(first: first, second: nil) }
            // Both speakers or neither: the first goes back to the pool when this scope drops it.
            guard let second = try pool.acquire(mode) else { return nil }
            return Recognizers(first: first, second: second)
        } catch {
            problems.append(error)
            return nil
        }
    }
}
