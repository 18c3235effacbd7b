extension Playbook {
    /// Checks every value against `docs/playbook.md`, stopping at the first problem, in a fixed order so the same
    /// document always gives the same error. `isKnownWord` is the recognizer's dictionary (lowercase words).
    public func validate(isKnownWord: (Substring) -> Bool) throws(PlaybookError) {
        guard version == Self.currentVersion else {
            throw PlaybookError(path: "version", reason: "version must be \(Self.currentVersion), not \(version)")
        }
        // Lowercased keyphrase → where it was first written, so a second use can say where the first is.
        var phrasePaths: [String: String] = [:]
        try validateCompetitors(isKnownWord: isKnownWord, phrasePaths: &phrasePaths)
        for intent in Intent.allCases {
            guard let play = intents[intent] else { continue }
            try validate(play, of: intent, isKnownWord: isKnownWord, phrasePaths: &phrasePaths)
        }
        try check(budget.maxHints, in: HintBudget.allowedMaxHints, "budget.max_hints")
        try check(budget.windowSeconds, in: HintBudget.allowedWindowSeconds, "budget.window_s")
    }

    private func validateCompetitors(
        isKnownWord: (Substring) -> Bool, phrasePaths: inout [String: String]
    ) throws(PlaybookError) {
        guard competitors.count <= Self.maxCompetitors else {
            throw PlaybookError(path: "competitors", reason: "at most \(Self.maxCompetitors) competitors, not \(competitors.count)")
        }
        for (index, name) in competitors.enumerated() {
            let path = "competitors[\(index)]"
            if name.allSatisfy({ $0 == " " }) { throw PlaybookError(path: path, reason: "empty competitor name") }
            guard name.count <= Self.maxCompetitorLength else {
                throw PlaybookError(path: path, reason: "at most \(Self.maxCompetitorLength) characters, not \(name.count)")
            }
            // A name is also a keyphrase, so it must be one once lowercased; the case is kept for the hint.
            let lowercased = name.lowercased()
            if let problem = Keyphrase.problem(with: lowercased, isKnownWord: isKnownWord) {
                throw PlaybookError(path: path, reason: problem)
            }
            if let first = phrasePaths[lowercased] {
                throw PlaybookError(path: path, reason: "\(PlaybookError.quote(name)) is already \(first)")
            }
            phrasePaths[lowercased] = path
        }
    }

    private func validate(
        _ play: Play, of intent: Intent, isKnownWord: (Substring) -> Bool, phrasePaths: inout [String: String]
    ) throws(PlaybookError) {
        let base = "intents.\(intent.rawValue)"
        try checkText(play.title, "\(base).title", limit: Play.maxTitleLength, of: intent)
        try checkText(play.body, "\(base).body", limit: Play.maxBodyLength, of: intent)
        guard play.threshold > 0, play.threshold <= 1 else {
            throw PlaybookError(path: "\(base).threshold", reason: "must be greater than 0 and at most 1, not \(play.threshold)")
        }
        try check(play.cooldownSeconds, in: Play.allowedCooldownSeconds, "\(base).cooldown_s")
        guard play.phrases.count <= Play.maxPhrases else {
            throw PlaybookError(path: "\(base).phrases", reason: "at most \(Play.maxPhrases) phrases, not \(play.phrases.count)")
        }
        for (index, phrase) in play.phrases.enumerated() {
            let path = "\(base).phrases[\(index)]"
            if let problem = Keyphrase.problem(with: phrase.text, isKnownWord: isKnownWord) {
                throw PlaybookError(path: "\(path).text", reason: problem)
            }
            if let first = phrasePaths[phrase.text] {
                throw PlaybookError(path: "\(path).text", reason: "\(PlaybookError.quote(phrase.text)) is already \(first)")
            }
            phrasePaths[phrase.text] = path
            guard Keyphrase.allowedThresholds.contains(phrase.threshold) else {
                throw PlaybookError(
                    path: "\(path).threshold",
                    reason: "must be from \(Keyphrase.allowedThresholds.lowerBound) to \(Keyphrase.allowedThresholds.upperBound), not \(phrase.threshold)")
            }
        }
    }

    /// A title or body: present, short enough, one line, and naming the competitor only where one is known.
    private func checkText(_ text: String, _ path: String, limit: Int, of intent: Intent) throws(PlaybookError) {
        if text.allSatisfy(\.isWhitespace) { throw PlaybookError(path: path, reason: "must not be empty") }
        guard text.count <= limit else {
            throw PlaybookError(path: path, reason: "at most \(limit) characters, not \(text.count)")
        }
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw PlaybookError(path: path, reason: "must be one line without control characters")
        }
        if intent != .competitorMention, text.contains(Play.competitorPlaceholder) {
            throw PlaybookError(
                path: path, reason: "\(Play.competitorPlaceholder) can only be used by competitor_mention, which knows the name")
        }
    }

    private func check(_ value: Int, in range: ClosedRange<Int>, _ path: String) throws(PlaybookError) {
        guard range.contains(value) else {
            throw PlaybookError(path: path, reason: "must be from \(range.lowerBound) to \(range.upperBound), not \(value)")
        }
    }
}
