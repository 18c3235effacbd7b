/// A phrase to spot and how sure the decoder must be (PocketSphinx's detection threshold, 1e-50 loose to 1 strict).
public struct KeyphraseTarget: Sendable, Hashable {
    /// The phrase, lowercase, its words separated by single spaces.
    public var text: String
    /// Smaller values hear the phrase more often (more false alarms); short words need larger ones.
    public var threshold: Double

    /// Normalises `text` to lowercase words separated by single spaces.
    public init(text: String, threshold: Double = 1e-10) {
        self.text = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
        self.threshold = threshold
    }

    /// The phrase's words.
    public var words: [String] { text.split(separator: " ").map(String.init) }
}

/// The phrases one keyphrase recognizer listens for, usually a tenant playbook's.
public struct KeyphraseList: Sendable, Hashable {
    public var phrases: [KeyphraseTarget]

    public init(_ phrases: [KeyphraseTarget]) {
        self.phrases = phrases
    }

    /// The phrases as PocketSphinx's keyphrase file expects them: one `phrase /threshold/` per line.
    var searchFileContents: String {
        phrases.map { "\($0.text) /\($0.threshold)/\n" }.joined()
    }
}
