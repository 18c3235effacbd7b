#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The words a PocketSphinx pronunciation dictionary knows, for refusing keyphrases the decoder cannot spot.
///
/// Loading reads the whole file once (the en-us dictionary: 3.3 MB, 134,723 words, about a second in a debug
/// build); keep one and share it, it is an immutable value.
public struct PronunciationDictionary: Sendable {
    private let words: Set<String>

    /// Loads the dictionary `configuration` names.
    public init(configuration: RecognizerConfiguration = RecognizerConfiguration()) throws(RecognizerError) {
        try self.init(path: configuration.dictionaryPath)
    }

    /// Loads a dictionary file: one `word PHONE PHONE …` per line, alternates written `word(2)`.
    public init(path: String) throws(RecognizerError) {
        guard let file = fopen(path, "r") else { throw .modelFileMissing(path: path) }
        defer { fclose(file) }
        var words = Set<String>(minimumCapacity: 140_000)
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0, let line {
            if let word = Self.headword(line) { words.insert(word) }
        }
        self.words = words
    }

    /// True when `word` (any case) has a pronunciation.
    public func contains(_ word: String) -> Bool {
        words.contains(word.lowercased())
    }

    /// The number of distinct words.
    public var count: Int { words.count }

    /// The words of `phrase` the dictionary does not know, in order.
    public func unknownWords(in phrase: String) -> [String] {
        KeyphraseTarget(text: phrase).words.filter { !words.contains($0) }
    }

    /// The line's first field without an alternate marker: "read(2) R EH D" → "read".
    private static func headword(_ line: UnsafeMutablePointer<CChar>) -> String? {
        var end = 0
        while line[end] != 0, line[end] != 0x20, line[end] != 0x09, line[end] != 0x0A, line[end] != 0x0D, line[end] != 0x28 {
            end += 1
        }
        guard end > 0 else { return nil }
        let bytes = UnsafeRawBufferPointer(start: line, count: end)
        return String(decoding: bytes, as: UTF8.self).lowercased()
    }
}
