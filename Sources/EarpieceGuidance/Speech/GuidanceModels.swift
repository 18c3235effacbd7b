import Foundation

/// Everything guidance loads from disk once per process: the recognizer's dictionary and decoder pool, the intent
/// model, and the product's default playbook, with what could not be loaded and what that costs.
public struct GuidanceModels: Sendable {
    /// The weights file in the models directory.
    public static let intentModelFileName = "intent-model.bin"
    /// The sales-call language model in the models directory, mixed into the recognizer's general one.
    public static let domainLanguageModelPath = "language/sales-calls.lm"

    public var resources: SpeechResources
    /// The recognizer's words, for validating playbooks; nil without a recognizer.
    public var dictionary: PronunciationDictionary?
    /// `playbook.json` from the models directory: every tenant's playbook until its admin sets one.
    public var defaultPlaybook: Playbook?
    /// What is missing and which tiers that rules out, one sentence each, for the log.
    public var problems: [String]

    /// Loads from `directory` (the intent model, the default playbook and the domain language model) and the
    /// recognizer's model files, never failing: whatever is missing takes its tiers with it, or lowers accuracy,
    /// and is named in `problems`. A `recognizer` that names its own domain language model keeps it.
    public static func load(directory: URL, recognizer: RecognizerConfiguration = RecognizerConfiguration(),
                            transcriptDecoders: Int, keyphraseDecoders: Int) -> GuidanceModels {
        var problems: [String] = []
        var recognizer = recognizer
        if recognizer.domainLanguageModel == nil {
            let languageModel = directory.appendingPathComponent(domainLanguageModelPath).path
            if FileManager.default.isReadableFile(atPath: languageModel) {
                recognizer.domainLanguageModel = languageModel
            } else {
                problems.append("no domain language model at \(languageModel): transcripts use the general model alone and hear fewer sales phrases; run `make model` to build it")
            }
        }
        var dictionary: PronunciationDictionary?
        do {
            dictionary = try PronunciationDictionary(configuration: recognizer)
        } catch {
            problems.append("no recognizer (\(error.description)): calls get dynamics guidance only")
        }
        var intentModel: IntentModel?
        let modelURL = directory.appendingPathComponent(intentModelFileName)
        do {
            intentModel = try IntentModel(contentsOf: modelURL)
        } catch {
            problems.append("no intent model (\(error.description)): no transcript tier; run `make model` to build it")
        }
        var playbook: Playbook?
        let playbookURL = directory.appendingPathComponent(Playbook.defaultFileName)
        do {
            let words = dictionary
            playbook = try Playbook.loadDefault(from: playbookURL) { words?.contains(String($0)) ?? true }
        } catch {
            problems.append("no default playbook (\(error.description)): no content hints until a tenant sets one")
        }
        let pool = dictionary.map { _ in
            RecognizerPool(configuration: recognizer, transcriptCapacity: transcriptDecoders, keyphraseCapacity: keyphraseDecoders)
        }
        return GuidanceModels(resources: SpeechResources(pool: pool, intentModel: intentModel), dictionary: dictionary,
                              defaultPlaybook: playbook, problems: problems)
    }

    /// Whether the recognizer knows `word`; every word passes when there is no recognizer to ask.
    public func isKnownWord(_ word: Substring) -> Bool {
        dictionary?.contains(String(word)) ?? true
    }
}
