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

extension RecognizedWord {
    /// The word a decoder segment names, or nil for silence, sentence marks and noise ("<sil>", "[NOISE]", "++UH++").
    ///
    /// Alternate-pronunciation markers are dropped ("read(2)" → "read").
    static func spoken(_ token: UnsafePointer<CChar>) -> String? {
        let first = token.pointee
        // "<", "[" and "+" open PocketSphinx's filler tokens, and no dictionary word starts with them.
        guard first != 0, first != 0x3C, first != 0x5B, first != 0x2B else { return nil }
        var text = String(cString: token)
        if text.hasSuffix(")"), let open = text.lastIndex(of: "(") { text = String(text[..<open]) }
        text = text.trimmingSpaces()
        return text.isEmpty ? nil : text.lowercased()
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var slice = Substring(self)
        while slice.first == " " { slice = slice.dropFirst() }
        while slice.last == " " { slice = slice.dropLast() }
        return String(slice)
    }
}
