import CPocketSphinx

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One PocketSphinx decoder (`ps_decoder_t`) and the count of audio it has been fed since it was loaded.
///
/// Sendable although it wraps a mutable C decoder, because of how it is owned: the pool hands a decoder to one
/// `SpeechRecognizer` at a time (a non-copyable lease), takes it back only when that recognizer ends, and never
/// touches an idle decoder except to hand it out again under its lock. The decoder has no thread affinity, so the
/// lease may move between tasks; two threads never use it at once.
final class PocketSphinxDecoder: @unchecked Sendable {
    /// PocketSphinx's frame: 10 ms, 160 samples at 16 kHz.
    static let samplesPerFrame = 160
    private static let searchName = "earpiece_keyphrases"
    private static let mixedSearchName = "earpiece_mixed"

    let kind: RecognizerKind
    private let handle: OpaquePointer
    /// Decoder frames fed since loading. PocketSphinx numbers word frames on this running count, across
    /// utterances and across calls, so the recognizer maps them back to call time from it.
    private(set) var framesFed = 0
    private(set) var isInUtterance = false
    /// The keyphrase search currently set, so a lease asking for the same list skips rebuilding it.
    private(set) var keyphrases: KeyphraseList?

    /// Loads a decoder; throws when a model file is missing or PocketSphinx refuses the model.
    init(kind: RecognizerKind, configuration: RecognizerConfiguration) throws(RecognizerError) {
        _ = Self.loggingSilenced
        var paths = [configuration.modelDirectory, configuration.acousticModelPath, configuration.dictionaryPath]
        if kind == .transcript {
            paths.append(configuration.languageModelPath)
            if let domain = configuration.domainLanguageModel { paths.append(domain) }
        }
        for path in paths where access(path, R_OK) != 0 {
            throw .modelFileMissing(path: path)
        }
        var arguments = ["-hmm", configuration.acousticModelPath, "-dict", configuration.dictionaryPath]
        switch kind {
        case .transcript: arguments += ["-lm", configuration.languageModelPath] + configuration.transcriptDecoderOptions
        case .keyphrase: arguments += configuration.keyphraseDecoderOptions
        }
        guard let handle = Self.load(arguments) else {
            throw .decoderUnavailable("PocketSphinx rejected the model in \(configuration.modelDirectory) or the options \(arguments.joined(separator: " "))")
        }
        self.handle = handle
        self.kind = kind
        if kind == .transcript, let domain = configuration.domainLanguageModel {
            guard configuration.domainWeight > 0, configuration.domainWeight < 1 else {
                ps_free(handle)
                throw .decoderUnavailable("the domain language model's weight \(configuration.domainWeight) is not in (0, 1)")
            }
            let status = earpiece_mix_language_model(handle, Self.mixedSearchName, domain, Float(configuration.domainWeight))
            guard status == 0 else {
                ps_free(handle)
                throw .decoderUnavailable(status == -1
                    ? "PocketSphinx cannot read the domain language model \(domain)"
                    : "PocketSphinx cannot mix the domain language model \(domain) into the general one (\(status))")
            }
        }
        var means = [Float](repeating: 0, count: 64)
        let count = Int(earpiece_cmn_get(handle, &means, Int32(means.count)))
        initialMeans = Array(means.prefix(count))
    }

    /// The cepstral means the decoder was loaded with.
    private let initialMeans: [Float]

    /// Forgets what earlier calls taught the decoder about their channel (its cepstral means), so that a call
    /// decodes the same on a reused decoder as on a fresh one.
    func resetChannel() {
        guard !initialMeans.isEmpty else { return }
        initialMeans.withUnsafeBufferPointer { earpiece_cmn_set(handle, $0.baseAddress) }
    }

    deinit {
        if isInUtterance { ps_end_utt(handle) }
        ps_free(handle)
    }

    // Logging goes off once for the process rather than through `-logfn`: that option makes every `ps_init`
    // reopen sphinxbase's one global log stream and close the old one, which another decoder may be writing to.
    private static let loggingSilenced: Void = { err_set_logfp(nil) }()

    private static func load(_ arguments: [String]) -> OpaquePointer? {
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        defer { for pointer in argv { free(pointer) } }
        let config = argv.withUnsafeMutableBufferPointer { buffer in
            cmd_ln_parse_r(nil, ps_args(), Int32(buffer.count), buffer.baseAddress, 1)
        }
        guard let config else { return nil }
        // ps_init retains the configuration it keeps; this reference is ours to drop either way.
        defer { cmd_ln_free_r(config) }
        return ps_init(config)
    }

    /// True when the dictionary holds `word` (lowercase, as PocketSphinx spells it).
    func knows(_ word: String) -> Bool {
        guard let pronunciation = ps_lookup_word(handle, word) else { return false }
        free(pronunciation)
        return true
    }

    /// Replaces the keyphrase search with `list`; the decoder must be between utterances.
    func setKeyphrases(_ list: KeyphraseList) throws(RecognizerError) {
        if keyphrases == list { return }
        guard !list.phrases.isEmpty else { throw .invalidKeyphrase("", reason: "the list is empty; give at least one phrase") }
        for phrase in list.phrases {
            guard !phrase.text.isEmpty else { throw .invalidKeyphrase(phrase.text, reason: "it has no words") }
            guard !phrase.text.contains(where: { $0 == "/" || $0.isNewline }) else {
                throw .invalidKeyphrase(phrase.text, reason: "it contains \"/\" or a line break")
            }
            guard phrase.threshold > 0, phrase.threshold <= 1, phrase.threshold.isFinite else {
                throw .invalidKeyphrase(phrase.text, reason: "its threshold \(phrase.threshold) is not in (0, 1]")
            }
            for word in phrase.words where !knows(word) { throw .unknownWord(word, phrase: phrase.text) }
        }
        // This release takes several phrases only from a file (ps_set_keyphrase takes one); it is read at once.
        let path = try Self.writeTemporaryFile(list.searchFileContents)
        defer { unlink(path) }
        keyphrases = nil
        // Setting a search under a name already in use frees the old one; the search pointer is then stale until
        // ps_set_search, which follows at once.
        guard ps_set_kws(handle, Self.searchName, path) == 0, ps_set_search(handle, Self.searchName) == 0 else {
            throw .keyphraseSearchFailed("PocketSphinx refused the phrase list")
        }
        keyphrases = list
    }

    private static func writeTemporaryFile(_ contents: String) throws(RecognizerError) -> String {
        var template = Array("/tmp/earpiece-keyphrases-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { mkstemp($0) } ?? -1 }
        guard descriptor >= 0 else { throw .keyphraseSearchFailed("cannot create a temporary file in /tmp: errno \(errno)") }
        defer { close(descriptor) }
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let bytes = Array(contents.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            unlink(path)
            throw .keyphraseSearchFailed("cannot write the temporary phrase file \(path): errno \(errno)")
        }
        return path
    }

    /// Starts an utterance; later word frames count on from `framesFed`.
    func startUtterance() {
        if isInUtterance { ps_end_utt(handle) }
        ps_start_utt(handle)
        isInUtterance = true
    }

    /// Feeds 16 kHz samples (a whole number of 10 ms frames) to the open utterance.
    func process(_ samples: UnsafeBufferPointer<Int16>) {
        guard isInUtterance, let base = samples.baseAddress, !samples.isEmpty else { return }
        ps_process_raw(handle, base, samples.count, 0, 0)
        framesFed += samples.count / Self.samplesPerFrame
    }

    /// Ends the open utterance; the hypothesis then holds its final result.
    func endUtterance() {
        guard isInUtterance else { return }
        ps_end_utt(handle)
        isInUtterance = false
    }

    /// The current hypothesis as PocketSphinx's C string, valid until the next call on the decoder; nil if none.
    func withHypothesis<R>(_ body: (UnsafePointer<CChar>?) -> R) -> R {
        body(ps_get_hyp(handle, nil))
    }

    /// Calls `body` with each segment of the current hypothesis: its word and first and last decoder frame.
    func forEachSegment(_ body: (UnsafePointer<CChar>, Int, Int) -> Void) {
        var segment = ps_seg_iter(handle)
        while let current = segment {
            var start: Int32 = 0
            var end: Int32 = 0
            ps_seg_frames(current, &start, &end)
            if let word = ps_seg_word(current) { body(word, Int(start), Int(end)) }
            // ps_seg_next frees the iterator when it returns nil.
            segment = ps_seg_next(current)
        }
    }
}
