import ArgumentParser
import EarpieceAudio
import EarpieceGuidance
import Foundation

/// `earpiece transcribe FILE`: runs a file through the live loop's VAD and recognizer and prints what it heard.
struct TranscribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transcribe",
        abstract: "Transcribe a WAV or Ogg Opus file the way a live call is recognized, one line per utterance.",
        discussion: """
            FILE is a 16 kHz mono 16-bit PCM WAV (as flite writes) or an Ogg Opus file. Speech is gated by the same \
            voice activity detector as a live call, so the text is what the gateway would recognize. With \
            --keyphrases, prints each phrase heard instead.
            """
    )

    @Argument(help: "A 16 kHz mono 16-bit WAV file, or an Ogg Opus file (.opus, .ogg).")
    var file: String

    @Option(help: "The Ogg Opus channel to transcribe (0 the rep, 1 the customer in a stereo call).")
    var channel = 0

    @Option(help: "Spot the phrases of this file instead of transcribing: one `phrase|threshold` per line.")
    var keyphrases: String?

    @Flag(help: "Print one JSON object per line: text, start_ms, end_ms and words (or phrase, start_ms, end_ms).")
    var json = false

    @Flag(help: "Print partial hypotheses too, marked as such (in JSON: final false, and at_ms, the call time they were made).")
    var partials = false

    @Flag(help: "Print the decoder's loading time, the audio length, the audio decoded and the CPU time to standard error at the end.")
    var stats = false

    @Option(help: "The PocketSphinx model directory.")
    var modelDirectory = RecognizerConfiguration().modelDirectory

    @Option(help: "A domain language model (ARPA or binary) mixed into the general one, as the transcript tier does with Models/language/sales-calls.lm; \"none\" decodes with the general model alone.")
    var languageModel = "none"

    @Option(help: "The domain language model's share of the mixture, between 0 and 1.")
    var languageModelWeight = RecognizerConfiguration().domainWeight

    @Option(help: "WebRTC noise suppression on what the recognizer hears once the line's noise floor reaches -50 dBFS: off, mild, medium or aggressive.")
    var noiseSuppression = NoiseSuppressionChoice.standard

    func validate() throws {
        guard channel >= 0 else { throw ValidationError("--channel must be 0 or more") }
        guard languageModelWeight > 0, languageModelWeight < 1 else {
            throw ValidationError("--language-model-weight must be between 0 and 1 (exclusive)")
        }
    }

    func run() throws {
        let startCPU = clock()
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
        } catch {
            throw TranscribeFailure(message: "cannot read \(file): \(error.localizedDescription)")
        }
        let mode: RecognizerMode = try keyphrases.map { .keyphrase(try Self.readKeyphrases($0)) } ?? .transcript
        let pool = RecognizerPool(
            configuration: RecognizerConfiguration(
                modelDirectory: modelDirectory, domainLanguageModel: languageModel == "none" ? nil : languageModel,
                domainWeight: languageModelWeight, noiseSuppression: noiseSuppression.level),
            transcriptCapacity: 1, keyphraseCapacity: 1)
        let recognizer: SpeechRecognizer
        do {
            guard let leased = try pool.acquire(mode) else { throw TranscribeFailure(message: "no decoder available") }
            recognizer = leased
        } catch let error as RecognizerError {
            throw TranscribeFailure(message: error.description)
        }
        let loadedCPU = clock()
        var run = try TranscriptionRun(recognizer: recognizer, output: TranscriptPrinter(json: json, partials: partials))
        do {
            if bytes.starts(with: Array("RIFF".utf8)) {
                try run.push(Self.wavSamples(bytes, file: file))
            } else if bytes.starts(with: Array("OggS".utf8)) {
                try Self.decodeOpus(bytes, channel: channel, file: file) { run.push($0) }
            } else {
                throw TranscribeFailure(message: "\(file) is neither a WAV nor an Ogg Opus file")
            }
        } catch let error as AudioFormatError {
            throw TranscribeFailure(message: "\(file): \(error.description)")
        }
        let frames = run.finish()
        if stats {
            let load = Double(loadedCPU - startCPU) / Double(CLOCKS_PER_SEC)
            let cpu = Double(clock() - loadedCPU) / Double(CLOCKS_PER_SEC)
            let callSeconds = Double(frames.call) * 0.02, fedSeconds = Double(frames.fed) * 0.02
            FileHandle.standardError.write(Data(String(
                format: "loading %.2f s CPU; audio %.1f s, decoded %.1f s, CPU %.2f s (%.3f per second decoded, %.3f per second of audio)\n",
                load, callSeconds, fedSeconds, cpu, fedSeconds > 0 ? cpu / fedSeconds : 0, callSeconds > 0 ? cpu / callSeconds : 0).utf8))
        }
    }

    /// `phrase|threshold` lines; `#` starts a comment, a missing threshold means 1e-10.
    static func readKeyphrases(_ path: String) throws -> KeyphraseList {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw TranscribeFailure(message: "cannot read the keyphrase file \(path)")
        }
        var phrases: [KeyphraseTarget] = []
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            guard !line.allSatisfy(\.isWhitespace) else { continue }
            let fields = line.split(separator: "|", omittingEmptySubsequences: false)
            var threshold = 1e-10
            if fields.count > 1 {
                guard fields.count == 2, let value = Double(fields[1].trimmingCharacters(in: .whitespaces)), value > 0, value <= 1 else {
                    throw TranscribeFailure(message: "\(path):\(number + 1): write `phrase|threshold` with a threshold in (0, 1], e.g. `next quarter|1e-20`")
                }
                threshold = value
            }
            phrases.append(KeyphraseTarget(text: String(fields[0]), threshold: threshold))
        }
        guard !phrases.isEmpty else { throw TranscribeFailure(message: "\(path) lists no phrases") }
        return KeyphraseList(phrases)
    }

    /// The samples of a 16 kHz mono 16-bit PCM WAV; anything else is refused with what it is.
    static func wavSamples(_ bytes: [UInt8], file: String) throws -> [Int16] {
        func u32(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24 }
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        guard bytes.count >= 12, bytes[8..<12].elementsEqual("WAVE".utf8) else {
            throw TranscribeFailure(message: "\(file) is a RIFF file but not a WAVE file")
        }
        var offset = 12
        var formatChecked = false
        while offset + 8 <= bytes.count {
            let id = String(decoding: bytes[offset..<(offset + 4)], as: UTF8.self)
            let size = u32(offset + 4)
            let body = offset + 8
            guard size <= bytes.count - body || id == "data" else { break }
            if id == "fmt " {
                guard size >= 16 else { break }
                let (format, channels, rate, bits) = (u16(body), u16(body + 2), u32(body + 4), u16(body + 14))
                guard format == 1 || format == 0xFFFE, channels == 1, rate == 16_000, bits == 16 else {
                    throw TranscribeFailure(message: """
                        \(file) is \(channels)-channel \(bits)-bit \(rate) Hz audio (format \(format)); transcribe takes 16 kHz \
                        mono 16-bit PCM WAV: convert it with `sox \(file) -r 16000 -c 1 -b 16 out.wav`
                        """)
                }
                formatChecked = true
            } else if id == "data" {
                guard formatChecked else { break }
                // A streaming writer may leave the size at 0 or 0xFFFFFFFF: then the data runs to the end of the file.
                let end = size == 0 || size > bytes.count - body ? bytes.count : body + size
                var samples = [Int16](repeating: 0, count: (end - body) / 2)
                for index in samples.indices {
                    samples[index] = Int16(bitPattern: UInt16(bytes[body + 2 * index]) | UInt16(bytes[body + 2 * index + 1]) << 8)
                }
                return samples
            }
            offset = body + size + (size & 1)
        }
        throw TranscribeFailure(message: "\(file) has no readable format and data chunks; is it a complete WAV file?")
    }

    /// Decodes an Ogg Opus file at 16 kHz and hands `channel`'s samples over, a packet at a time.
    static func decodeOpus(_ bytes: [UInt8], channel: Int, file: String, _ body: (ArraySlice<Int16>) -> Void) throws {
        var reader = OggOpusReader()
        var decoder: OpusDecoder?
        var pcm = PCMBuffer(channelCount: 1)
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + 64 * 1024)
            for packet in try reader.push(Array(bytes[start..<end])) {
                if decoder == nil {
                    guard let head = reader.head else { continue }
                    guard channel < head.channelCount else {
                        throw TranscribeFailure(message: "\(file) has \(head.channelCount) channel(s); --channel \(channel) is not one of them")
                    }
                    decoder = try OpusDecoder(channelCount: head.channelCount, preSkip: head.preSkip)
                    pcm = PCMBuffer(channelCount: head.channelCount, reservingCapacity: OpusDecoder.maxSamplesPerPacket)
                }
                _ = try decoder?.decode(packet.data, sequence: packet.sequence, into: &pcm)
                body(pcm.channels[channel][...])
                pcm.removeAll()
            }
            start = end
        }
        try reader.finish()
    }
}

/// One file's VAD and recognizer, fed samples in any amounts and cutting them into 20 ms frames.
private struct TranscriptionRun: ~Copyable {
    private var detector: VoiceActivityDetector
    private var recognizer: SpeechRecognizer
    private let output: TranscriptPrinter
    private var frame = [Int16](repeating: 0, count: AnalysisFrame.sampleCount)
    private var pending = 0
    private var frameIndex = 0
    private var events: [RecognitionEvent] = []

    init(recognizer: consuming SpeechRecognizer, output: TranscriptPrinter) throws {
        do {
            detector = try VoiceActivityDetector()
        } catch {
            throw TranscribeFailure(message: "\(error)")
        }
        self.recognizer = recognizer
        self.output = output
    }

    mutating func push(_ samples: some Collection<Int16>) {
        for sample in samples {
            frame[pending] = sample
            pending += 1
            if pending == AnalysisFrame.sampleCount { completeFrame() }
        }
    }

    /// Ends the last utterance and returns the frames of the file and the frames the decoder was fed.
    consuming func finish() -> (call: Int, fed: Int) {
        recognizer.finish(into: &events)
        output.write(events, atMs: frameIndex * AnalysisFrame.durationMs)
        return (frameIndex, recognizer.framesFed)
    }

    private mutating func completeFrame() {
        let isSpeech = detector.isSpeech(frame[...])
        recognizer.process(frame[...], isSpeech: isSpeech, frameIndex: frameIndex, into: &events)
        frameIndex += 1
        pending = 0
        if !events.isEmpty {
            output.write(events, atMs: frameIndex * AnalysisFrame.durationMs)
            events.removeAll(keepingCapacity: true)
        }
    }
}

/// Writes final utterances and keyphrase hits to standard output, as text or JSON lines.
private struct TranscriptPrinter {
    let json: Bool
    let partials: Bool

    private struct UtteranceLine: Encodable {
        struct Word: Encodable {
            var text: String
            var start_ms: Int
            var end_ms: Int
        }
        var text: String
        var start_ms: Int
        var end_ms: Int
        var words: [Word]
        var final: Bool?
        /// Call time when the update was made (with --partials), for measuring how soon words show.
        var at_ms: Int?
    }

    private struct HitLine: Encodable {
        var phrase: String
        var start_ms: Int
        var end_ms: Int
    }

    /// Writes `events`, made when the call's audio had reached `atMs`.
    func write(_ events: [RecognitionEvent], atMs: Int) {
        for event in events {
            switch event {
            case .transcript(let update):
                guard update.isFinal || partials, let start = update.startMs, let end = update.endMs else { continue }
                if json {
                    let words = update.words.map { UtteranceLine.Word(text: $0.text, start_ms: $0.startMs, end_ms: $0.endMs) }
                    emit(UtteranceLine(text: update.text, start_ms: start, end_ms: end, words: words, final: partials ? update.isFinal : nil, at_ms: partials ? atMs : nil))
                } else {
                    print(update.isFinal ? update.text : "(partial) \(update.text)")
                }
            case .keyphrase(let hit):
                if json {
                    emit(HitLine(phrase: hit.phrase, start_ms: hit.startMs, end_ms: hit.endMs))
                } else {
                    print("\(hit.phrase)\t\(hit.startMs)\t\(hit.endMs)")
                }
            }
        }
    }

    private func emit(_ value: some Encodable) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return }
        print(String(decoding: data, as: UTF8.self))
    }
}

/// A failure `transcribe` reports as it is.
struct TranscribeFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
