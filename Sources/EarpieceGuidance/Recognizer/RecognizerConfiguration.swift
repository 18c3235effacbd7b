/// Where the PocketSphinx model lives and how speech is cut into utterances for the decoder.
public struct RecognizerConfiguration: Sendable, Equatable {
    /// The folder holding the acoustic model, the language model and the dictionary.
    public var modelDirectory: String
    /// The acoustic model's folder name inside `modelDirectory`.
    public var acousticModel: String
    /// The n-gram language model's file name inside `modelDirectory` (transcript mode only).
    public var languageModel: String
    /// The pronunciation dictionary's file name inside `modelDirectory`.
    public var dictionary: String
    /// Audio from before the VAD's onset that is fed too, so a word's soft start is not cut off.
    public var preRoll: Duration
    /// How long an utterance stays open after the VAD last said speech; speech within it continues it.
    public var hangover: Duration
    /// Fed audio between two looks at the partial hypothesis (transcript mode).
    public var partialInterval: Duration
    /// The longest utterance: past it the utterance ends (final result) and the next speech starts another.
    public var maxUtteranceLength: Duration
    /// A domain language model (ARPA or binary, an absolute path) mixed into the general one in transcript
    /// mode; nil decodes with the general model alone.
    public var domainLanguageModel: String?
    /// The domain model's share of the mixture, in (0, 1).
    public var domainWeight: Double
    /// Extra decoder options for transcript mode, as `-name value` pairs.
    public var transcriptDecoderOptions: [String]
    /// Extra decoder options for keyphrase mode, as `-name value` pairs.
    public var keyphraseDecoderOptions: [String]
    /// WebRTC's noise suppression on what the decoder hears when the line is noisy, or nil for the raw audio always.
    public var noiseSuppression: NoiseSuppressionLevel?
    /// How noisy a line must be for the decoder to hear the suppressor's output: the level of the channel's
    /// non-speech frames, in dB relative to full scale. Quieter lines are heard as they are.
    public var noiseSuppressionFloor: Double

    /// The defaults suit Debian's `pocketsphinx-en-us` and 16 kHz call audio.
    ///
    /// The transcript decoder keeps PocketSphinx's second passes (flat-lexicon search and best path) for finals:
    /// on the fixture calls they lower the word error rate from 23 % to 19.5 % for about 5 % more CPU; partials
    /// come from the first pass either way. `["-fwdflat", "no", "-bestpath", "no"]` turns them off, and then finals
    /// always equal the last partial (docs/recognizer.md has the numbers).
    public init(
        modelDirectory: String = "/usr/share/pocketsphinx/model/en-us",
        acousticModel: String = "en-us",
        languageModel: String = "en-us.lm.bin",
        dictionary: String = "cmudict-en-us.dict",
        preRoll: Duration = .milliseconds(300),
        hangover: Duration = .milliseconds(400),
        partialInterval: Duration = .milliseconds(100),
        maxUtteranceLength: Duration = .seconds(20),
        domainLanguageModel: String? = nil,
        domainWeight: Double = 0.5,
        transcriptDecoderOptions: [String] = [],
        keyphraseDecoderOptions: [String] = [],
        noiseSuppression: NoiseSuppressionLevel? = RecognizerConfiguration.defaultNoiseSuppression,
        noiseSuppressionFloor: Double = -50
    ) {
        self.modelDirectory = modelDirectory
        self.acousticModel = acousticModel
        self.languageModel = languageModel
        self.dictionary = dictionary
        self.preRoll = preRoll
        self.hangover = hangover
        self.partialInterval = partialInterval
        self.maxUtteranceLength = maxUtteranceLength
        self.domainLanguageModel = domainLanguageModel
        self.domainWeight = domainWeight
        self.transcriptDecoderOptions = transcriptDecoderOptions
        self.keyphraseDecoderOptions = keyphraseDecoderOptions
        self.noiseSuppression = noiseSuppression
        self.noiseSuppressionFloor = noiseSuppressionFloor
    }

    /// Measured on the fixture calls (`docs/recognizer.md`, "Noise").
    public static let defaultNoiseSuppression: NoiseSuppressionLevel? = .aggressive

    /// The acoustic model's folder.
    public var acousticModelPath: String { Self.join(modelDirectory, acousticModel) }
    /// The language model's file.
    public var languageModelPath: String { Self.join(modelDirectory, languageModel) }
    /// The dictionary's file.
    public var dictionaryPath: String { Self.join(modelDirectory, dictionary) }

    private static func join(_ directory: String, _ name: String) -> String {
        if name.hasPrefix("/") { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
