/// Why a recognizer could not be created or configured.
public enum RecognizerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A model file or folder is missing or unreadable.
    case modelFileMissing(path: String)
    /// PocketSphinx refused the model or the options.
    case decoderUnavailable(String)
    /// A keyphrase holds a word the pronunciation dictionary does not know.
    case unknownWord(String, phrase: String)
    /// A keyphrase or keyphrase list the decoder cannot take.
    case invalidKeyphrase(String, reason: String)
    /// PocketSphinx refused a keyphrase search.
    case keyphraseSearchFailed(String)

    public var description: String {
        switch self {
        case .modelFileMissing(let path):
            "speech model file \(path) is missing or unreadable: install pocketsphinx-en-us or point the recognizer's model directory at a PocketSphinx model"
        case .decoderUnavailable(let reason):
            "the speech decoder could not start: \(reason)"
        case .unknownWord(let word, let phrase):
            "the keyphrase \"\(phrase)\" uses \"\(word)\", which is not in the pronunciation dictionary: spell it as the dictionary does or choose another phrase"
        case .invalidKeyphrase(let phrase, let reason):
            "the keyphrase \"\(phrase)\" cannot be used: \(reason)"
        case .keyphraseSearchFailed(let reason):
            "the keyphrase search could not be set up: \(reason)"
        }
    }
}
