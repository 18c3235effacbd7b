/// What a recognizer listens for: everything said, or a list of phrases.
public enum RecognizerMode: Sendable, Hashable {
    /// Word-by-word transcripts from the n-gram language model (about 90 MB per decoder).
    case transcript
    /// Spotting of the listed phrases only (13–35 MB per decoder, a tenth of the CPU).
    case keyphrase(KeyphraseList)

    /// The kind of decoder the mode needs; decoders of one kind are interchangeable.
    public var kind: RecognizerKind {
        switch self {
        case .transcript: .transcript
        case .keyphrase: .keyphrase
        }
    }
}

/// A kind of decoder, as the pool counts and limits them.
public enum RecognizerKind: String, Sendable, Hashable, CaseIterable {
    case transcript
    case keyphrase
}
