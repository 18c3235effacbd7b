/// One word the recognizer heard, with where it sits in the call's audio (not the decoder's), in milliseconds.
public struct RecognizedWord: Sendable, Equatable {
    /// The word as the dictionary spells it, lowercase, without alternate-pronunciation markers ("read(2)" → "read").
    public var text: String
    public var startMs: Int
    public var endMs: Int

    public init(text: String, startMs: Int, endMs: Int) {
        self.text = text
        self.startMs = startMs
        self.endMs = endMs
    }
}
