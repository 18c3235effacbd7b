/// What a recognizer heard in the frames it was given.
public enum RecognitionEvent: Sendable, Equatable {
    /// The current utterance's words so far, or its final words.
    case transcript(TranscriptUpdate)
    /// One occurrence of a listed keyphrase.
    case keyphrase(KeyphraseHit)
}

/// The whole current utterance's hypothesis, with call-relative word times.
public struct TranscriptUpdate: Sendable, Equatable {
    /// Every word of the utterance so far, fillers and noise left out.
    public var words: [RecognizedWord]
    /// True once, when the utterance ended; later updates belong to a new utterance.
    public var isFinal: Bool

    public init(words: [RecognizedWord], isFinal: Bool) {
        self.words = words
        self.isFinal = isFinal
    }

    /// The words separated by spaces.
    public var text: String { words.map(\.text).joined(separator: " ") }
    /// Where the first word starts in the call, in milliseconds; nil without words.
    public var startMs: Int? { words.first?.startMs }
    /// Where the last word ends in the call, in milliseconds; nil without words.
    public var endMs: Int? { words.last?.endMs }
}

/// A keyphrase heard once, with where it sits in the call.
public struct KeyphraseHit: Sendable, Equatable {
    /// The phrase as listed.
    public var phrase: String
    public var startMs: Int
    public var endMs: Int

    public init(phrase: String, startMs: Int, endMs: Int) {
        self.phrase = phrase
        self.startMs = startMs
        self.endMs = endMs
    }
}
