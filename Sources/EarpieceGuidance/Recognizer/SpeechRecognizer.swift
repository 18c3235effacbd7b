import Foundation

/// Recognizes one speaker of one call: fed every 20 ms frame with the VAD's decision, it decodes only speech.
///
/// The VAD gates the decoder. At onset the recognizer opens an utterance and feeds the pre-roll (audio from just
/// before onset, which holds soft word starts) then every frame, speech or not, until the VAD has said non-speech
/// for the hangover; speech within the hangover continues the same utterance. An utterance also ends at the
/// maximum length. Audio between utterances is never fed, which is what keeps the decoder's CPU to the speech.
///
/// Times in events are call time (`frameIndex` × 20 ms), not the decoder's: PocketSphinx numbers 10 ms frames on
/// from everything the decoder was ever fed, so each utterance remembers where its fed audio started, in both
/// clocks. Frames must come in order; a jump in `frameIndex` (analysis skipped) ends the open utterance, since the
/// audio on its two sides is not contiguous.
///
/// Ending the recognizer (`close()` or going out of scope) ends any utterance without a result and returns the
/// decoder to its pool. A steady stream allocates nothing per frame; only events do.
public struct SpeechRecognizer: ~Copyable, Sendable {
    /// What this recognizer listens for.
    public let mode: RecognizerMode
    /// 20 ms frames fed to the decoder so far (speech, pre-roll and hangover): what the recognizer cost in CPU.
    public private(set) var framesFed = 0

    private let decoder: PocketSphinxDecoder
    private let pool: RecognizerPool
    /// What cleans each frame on a noisy line, and the cleaned frame (nil: the raw frame is always fed).
    private var suppressor: NoiseSuppressor?
    private let suppresses: Bool
    private var cleaned: [Int16]
    /// How noisy the line is: the level of the channel's quietest recent non-speech frames, in dB relative to full
    /// scale (nil before the first). It follows a quieter frame at once and a louder one by `floorRise` per frame,
    /// so the loud edges of words that the VAD calls non-speech barely move it.
    private var noiseFloor: Double?
    /// The noise floor over which the decoder hears the cleaned frames.
    private let suppressionFloor: Double
    /// Whether the decoder hears the cleaned frames: chosen between utterances, kept through one.
    private(set) var hearsCleaned = false
    private let preRollFrames: Int
    private let hangoverFrames: Int
    private let partialFrames: Int
    private let maxUtteranceFrames: Int

    /// The last `preRollFrames` frames not fed, oldest at `ringStart`, contiguous up to the latest frame.
    private var ring: [Int16]
    private var ringStart = 0
    private var ringCount = 0
    private var lastFrameIndex: Int?

    private var isUtteranceOpen = false
    /// Where the open utterance's fed audio starts, in call time and in the decoder's frame count.
    private var utteranceStartMs = 0
    private var utteranceDecoderFrame = 0
    /// 20 ms frames fed to the open utterance.
    private var utteranceFrames = 0
    private var lastSpeechFrameIndex = 0
    /// The hypothesis text last emitted, to emit partials only when it changes.
    private var lastHypothesis: [CChar] = []
    private var hasEmittedPartial = false

    init(mode: RecognizerMode, decoder: PocketSphinxDecoder, pool: RecognizerPool, suppressor: consuming NoiseSuppressor?) {
        self.mode = mode
        self.decoder = decoder
        self.pool = pool
        suppresses = pool.configuration.noiseSuppression != nil
        self.suppressor = suppressor
        cleaned = [Int16](repeating: 0, count: AnalysisFrame.sampleCount)
        let configuration = pool.configuration
        suppressionFloor = configuration.noiseSuppressionFloor
        preRollFrames = AnalysisFrame.count(covering: configuration.preRoll)
        hangoverFrames = max(1, AnalysisFrame.count(covering: configuration.hangover))
        partialFrames = max(1, AnalysisFrame.count(covering: configuration.partialInterval))
        maxUtteranceFrames = max(1, AnalysisFrame.count(covering: configuration.maxUtteranceLength))
        ring = [Int16](repeating: 0, count: preRollFrames * AnalysisFrame.sampleCount)
        lastHypothesis.reserveCapacity(4096)
    }

    deinit {
        pool.release(decoder)
    }

    /// Ends the recognizer now and returns its decoder to the pool; an open utterance is dropped unreported.
    public consuming func close() {}

    /// Takes one 20 ms frame (320 samples at 16 kHz) and the VAD's decision for it, appending what it caused.
    ///
    /// `frameIndex` counts frames from the call's start; event times are `frameIndex` × 20 ms based.
    public mutating func process(_ frame: ArraySlice<Int16>, isSpeech: Bool, frameIndex: Int, into events: inout [RecognitionEvent]) {
        precondition(frame.count == AnalysisFrame.sampleCount, "a recognizer frame is \(AnalysisFrame.sampleCount) samples, not \(frame.count)")
        // The line's noise floor decides what the decoder hears: the suppressor's output on a noisy line, the raw
        // frame on a clean one, where suppression costs words (docs/recognizer.md, "Noise"). The suppressor runs only
        // while the line is noisy or an utterance that hears it is open, so a clean line costs nothing more.
        if suppresses, !isSpeech {
            let level = Self.level(frame)
            noiseFloor = noiseFloor.map { min(level, $0 + Self.floorRise) } ?? level
        }
        let noisy = (noiseFloor ?? -.infinity) >= suppressionFloor
        if !isUtteranceOpen { hearsCleaned = noisy }
        guard noisy || hearsCleaned, var suppressor = suppressor.take() else {
            hear(frame, isSpeech: isSpeech, frameIndex: frameIndex, into: &events)
            return
        }
        cleaned.withUnsafeMutableBufferPointer { cleaned in
            frame.withUnsafeBufferPointer { suppressor.process($0, into: cleaned) }
        }
        self.suppressor = consume suppressor
        if hearsCleaned {
            hear(cleaned[...], isSpeech: isSpeech, frameIndex: frameIndex, into: &events)
        } else {
            hear(frame, isSpeech: isSpeech, frameIndex: frameIndex, into: &events)
        }
    }

    /// How far one louder non-speech frame lifts the noise floor, in dB: 10 dB a second of steady noise.
    private static let floorRise = 0.2

    /// A frame's RMS level in dB relative to a full-scale 16-bit sine's peak (digital silence is -120).
    static func level(_ frame: ArraySlice<Int16>) -> Double {
        var sum = 0.0
        for sample in frame { sum += Double(sample) * Double(sample) }
        let power = sum / Double(frame.count) / (32_768.0 * 32_768.0)
        return max(-120, 10 * log10(max(power, 1e-12)))
    }

    /// `process` after noise suppression: gates, feeds and reads the decoder.
    private mutating func hear(_ frame: ArraySlice<Int16>, isSpeech: Bool, frameIndex: Int, into events: inout [RecognitionEvent]) {
        if let last = lastFrameIndex, frameIndex != last + 1 {
            if isUtteranceOpen { endUtterance(into: &events) }
            ringCount = 0
        }
        lastFrameIndex = frameIndex
        if !isUtteranceOpen {
            guard isSpeech else {
                remember(frame)
                return
            }
            startUtterance(atFrame: frameIndex - ringCount)
            feedPreRoll()
        }
        frame.withUnsafeBufferPointer { decoder.process($0) }
        utteranceFrames += 1
        framesFed += 1
        if isSpeech { lastSpeechFrameIndex = frameIndex }
        switch mode {
        case .transcript:
            if utteranceFrames % partialFrames == 0 { emitPartialIfChanged(into: &events) }
        case .keyphrase:
            if hasHypothesis { restartAfterHit(nextFrame: frameIndex + 1, into: &events) }
        }
        if frameIndex - lastSpeechFrameIndex >= hangoverFrames || utteranceFrames >= maxUtteranceFrames {
            endUtterance(into: &events)
        }
    }

    /// Ends the open utterance, if any, with its final result (the call or the speaker's audio ended).
    public mutating func finish(into events: inout [RecognitionEvent]) {
        if isUtteranceOpen { endUtterance(into: &events) }
        ringCount = 0
        lastFrameIndex = nil
    }

    // MARK: Utterances

    private mutating func startUtterance(atFrame frameIndex: Int) {
        decoder.startUtterance()
        isUtteranceOpen = true
        utteranceStartMs = frameIndex * AnalysisFrame.durationMs
        utteranceDecoderFrame = decoder.framesFed
        utteranceFrames = 0
        lastHypothesis.removeAll(keepingCapacity: true)
        hasEmittedPartial = false
    }

    private mutating func endUtterance(into events: inout [RecognitionEvent]) {
        decoder.endUtterance()
        isUtteranceOpen = false
        switch mode {
        case .transcript:
            let words = currentWords()
            if !words.isEmpty || hasEmittedPartial {
                events.append(.transcript(TranscriptUpdate(words: words, isFinal: true)))
            }
        case .keyphrase:
            appendHits(into: &events)
        }
        lastHypothesis.removeAll(keepingCapacity: true)
        hasEmittedPartial = false
    }

    /// After a hit the search restarts, so one occurrence is reported once and the next can be heard afresh.
    private mutating func restartAfterHit(nextFrame: Int, into events: inout [RecognitionEvent]) {
        decoder.endUtterance()
        appendHits(into: &events)
        startUtterance(atFrame: nextFrame)
    }

    // MARK: Pre-roll

    private mutating func remember(_ frame: ArraySlice<Int16>) {
        guard preRollFrames > 0 else { return }
        let slot = (ringStart + ringCount) % preRollFrames
        if ringCount == preRollFrames {
            ringStart = (ringStart + 1) % preRollFrames
        } else {
            ringCount += 1
        }
        let offset = slot * AnalysisFrame.sampleCount
        ring.withUnsafeMutableBufferPointer { target in
            frame.withUnsafeBufferPointer { samples in
                _ = UnsafeMutableBufferPointer(rebasing: target[offset..<(offset + samples.count)]).update(fromContentsOf: samples)
            }
        }
    }

    private mutating func feedPreRoll() {
        let decoder = self.decoder
        let count = ringCount, start = ringStart, capacity = preRollFrames
        ring.withUnsafeBufferPointer { samples in
            for position in 0..<count {
                let offset = ((start + position) % capacity) * AnalysisFrame.sampleCount
                decoder.process(UnsafeBufferPointer(rebasing: samples[offset..<(offset + AnalysisFrame.sampleCount)]))
            }
        }
        utteranceFrames += count
        framesFed += count
        ringCount = 0
        ringStart = 0
    }

    // MARK: Results

    private var hasHypothesis: Bool {
        decoder.withHypothesis { hypothesis in hypothesis.map { $0.pointee != 0 } ?? false }
    }

    private mutating func emitPartialIfChanged(into events: inout [RecognitionEvent]) {
        let changed = decoder.withHypothesis { hypothesis -> Bool in
            guard let hypothesis else { return false }
            return Self.differs(hypothesis, from: lastHypothesis)
        }
        guard changed else { return }
        decoder.withHypothesis { hypothesis in
            lastHypothesis.removeAll(keepingCapacity: true)
            guard let hypothesis else { return }
            var cursor = hypothesis
            while cursor.pointee != 0 {
                lastHypothesis.append(cursor.pointee)
                cursor += 1
            }
        }
        let words = currentWords()
        guard !words.isEmpty || hasEmittedPartial else { return }
        hasEmittedPartial = true
        events.append(.transcript(TranscriptUpdate(words: words, isFinal: false)))
    }

    private static func differs(_ hypothesis: UnsafePointer<CChar>, from previous: [CChar]) -> Bool {
        var index = 0
        while hypothesis[index] != 0 {
            if index >= previous.count || previous[index] != hypothesis[index] { return true }
            index += 1
        }
        return index != previous.count
    }

    private func currentWords() -> [RecognizedWord] {
        var words: [RecognizedWord] = []
        decoder.forEachSegment { word, start, end in
            guard let text = RecognizedWord.spoken(word) else { return }
            words.append(RecognizedWord(text: text, startMs: callMs(decoderFrame: start), endMs: callMs(decoderFrame: end + 1)))
        }
        // No word can end after the last speech fed. In a long utterance with a pause inside it (two speakers on one
        // track), PocketSphinx 5prealpha's segment frames can run ahead of the audio: on mono-call its hypothesis put
        // a line said at 10.65 s at 14.01 s, and its last word 2.3 s past the end of the audio fed. Such a
        // hypothesis is moved back so that its last word ends with the speech (docs/recognizer.md).
        let speechEndMs = (lastSpeechFrameIndex + 1) * AnalysisFrame.durationMs
        if let last = words.last, last.endMs > speechEndMs + Self.wordEndSlackMs {
            let shift = min(last.endMs - speechEndMs, max(0, (words.first?.startMs ?? utteranceStartMs) - utteranceStartMs))
            for index in words.indices {
                words[index].startMs -= shift
                words[index].endMs -= shift
            }
        }
        return words
    }

    /// How far past the VAD's last speech frame a word may end (the VAD decides a little early on a fading word).
    static let wordEndSlackMs = 200

    private func appendHits(into events: inout [RecognitionEvent]) {
        decoder.forEachSegment { word, start, end in
            let phrase = String(cString: word).split(separator: " ").joined(separator: " ")
            guard !phrase.isEmpty else { return }
            events.append(.keyphrase(KeyphraseHit(phrase: phrase, startMs: callMs(decoderFrame: start), endMs: callMs(decoderFrame: end + 1))))
        }
    }

    private func callMs(decoderFrame: Int) -> Int {
        utteranceStartMs + max(0, decoderFrame - utteranceDecoderFrame) * 10
    }
}
