/// One phrase the keyphrase tier listens for, with the intent it fires and, for a competitor's name, the name.
public struct SpottedPhrase: Sendable, Equatable {
    public var keyphrase: Keyphrase
    public var intent: Intent
    /// The competitor as the playbook writes it ("Acme") when the phrase is its name; `nil` otherwise.
    public var competitor: String?

    public init(keyphrase: Keyphrase, intent: Intent, competitor: String? = nil) {
        self.keyphrase = keyphrase
        self.intent = intent
        self.competitor = competitor
    }
}

extension Playbook {
    /// Every keyphrase of the enabled intents, in the order of `Intent.allCases` and then as written; competitor
    /// names, lowercased, after `competitor_mention`'s own phrases.
    public var spottedPhrases: [SpottedPhrase] {
        var spotted: [SpottedPhrase] = []
        for intent in Intent.allCases {
            guard let play = activePlay(for: intent) else { continue }
            spotted += play.phrases.map { SpottedPhrase(keyphrase: $0, intent: intent) }
            if intent == .competitorMention {
                spotted += competitors.map {
                    SpottedPhrase(keyphrase: Keyphrase($0.lowercased(), threshold: Keyphrase.competitorThreshold), intent: intent, competitor: $0)
                }
            }
        }
        return spotted
    }
}
