/// A speaker's utterance as the recognizer has it so far: a partial replaces the previous partial of the same
/// utterance, a final closes it. Encodes with the wire protocol's keys once the gateway converts to snake case.
public struct TranscriptLine: Sendable, Equatable, Encodable {
    public var speaker: Speaker
    public var text: String
    public var isFinal: Bool
    /// Where the utterance's first and last words sit in the call's audio, in ms.
    public var startMs: Int
    public var endMs: Int

    public init(speaker: Speaker, text: String, isFinal: Bool, startMs: Int, endMs: Int) {
        self.speaker = speaker
        self.text = text
        self.isFinal = isFinal
        self.startMs = startMs
        self.endMs = endMs
    }
}
