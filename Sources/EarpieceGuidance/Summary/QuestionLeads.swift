/// Guesses whether an utterance is a question from its first words: the recognizer writes no punctuation, so
/// intonation and question marks are lost. A heuristic: it misses questions asked by intonation alone ("you're
/// live next week") and takes some statements for questions ("when we started …"); `docs/summary.md`.
enum QuestionLeads {
    /// Words that open a question on their own.
    static let questionWords: Set<String> = ["what", "what's", "how", "how's", "why", "when", "where", "where's", "who",
                                              "who's", "whom", "whose", "which"]
    /// Auxiliaries that open a question when a pronoun or determiner follows ("can you", "is it", "does that").
    static let auxiliaries: Set<String> = ["can", "could", "would", "will", "should", "shall", "do", "does", "did",
                                           "is", "are", "was", "were", "have", "has", "may", "isn't", "aren't",
                                           "don't", "doesn't", "didn't", "won't", "wouldn't", "can't", "couldn't"]
    /// What follows an auxiliary in a question.
    static let subjects: Set<String> = ["you", "i", "we", "they", "he", "she", "it", "that", "this", "there", "your",
                                        "our", "the", "a", "an", "anyone", "someone", "everyone", "these", "those"]
    /// Words a question may start with before its lead ("so what would …", "hmm when could …").
    static let discourseWords: Set<String> = ["so", "and", "but", "okay", "ok", "well", "hmm", "um", "uh", "also",
                                              "oh", "now", "then", "right", "alright", "yeah", "sorry"]
    /// At most this many discourse words are skipped.
    static let maxDiscourseWords = 2

    /// Whether `words` (lowercase, as the recognizer writes them) start like a question.
    static func isQuestion(_ words: some Collection<String>) -> Bool {
        var rest = words[...]
        var skipped = 0
        while skipped < maxDiscourseWords, let first = rest.first, discourseWords.contains(first) {
            rest = rest.dropFirst()
            skipped += 1
        }
        guard let lead = rest.first else { return false }
        if questionWords.contains(lead) { return true }
        guard auxiliaries.contains(lead), let next = rest.dropFirst().first else { return false }
        return subjects.contains(next)
    }
}
