import Synchronization

/// Loaded decoders shared by the calls of one process: at most a fixed number per kind, reused across calls.
///
/// A transcript decoder costs about 90 MB and a second or two to load, a keyphrase decoder 13–35 MB, so decoders
/// are kept when a call ends and lent to the next one. When a kind is at capacity `acquire` returns nil at once,
/// so admission control can fall back to a cheaper tier. A final class with a mutex rather than an actor: the
/// guidance loop acquires and releases without awaiting.
public final class RecognizerPool: Sendable {
    public let configuration: RecognizerConfiguration
    /// The most transcript decoders that may exist, leased or idle.
    public let transcriptCapacity: Int
    /// The most keyphrase decoders that may exist, leased or idle.
    public let keyphraseCapacity: Int

    private struct State {
        var idle: [RecognizerKind: [PocketSphinxDecoder]] = [:]
        var inUse: [RecognizerKind: Int] = [:]
        var loaded: [RecognizerKind: Int] = [:]
    }

    private let state = Mutex(State())

    /// Creates an empty pool; decoders are loaded on first demand.
    public init(configuration: RecognizerConfiguration = RecognizerConfiguration(), transcriptCapacity: Int, keyphraseCapacity: Int) {
        self.configuration = configuration
        self.transcriptCapacity = max(0, transcriptCapacity)
        self.keyphraseCapacity = max(0, keyphraseCapacity)
    }

    /// A recognizer in `mode` on an idle or newly loaded decoder, or nil when the mode's kind is at capacity.
    ///
    /// Loading happens outside the lock, so other calls acquire and release meanwhile. Throws when the model is
    /// missing or unreadable, or (keyphrase mode) when a phrase is invalid or uses a word the dictionary lacks;
    /// a decoder loaded for a refused phrase list stays in the pool.
    public func acquire(_ mode: RecognizerMode) throws(RecognizerError) -> SpeechRecognizer? {
        let kind = mode.kind
        let wanted: KeyphraseList? = if case .keyphrase(let list) = mode { list } else { nil }
        let capacity = self.capacity(kind)
        let reserved: PocketSphinxDecoder?? = state.withLock { state in
            var idle = state.idle[kind, default: []]
            let existing = idle.count + state.inUse[kind, default: 0]
            if !idle.isEmpty {
                // A decoder already set to the same phrases skips rebuilding the search.
                let index = idle.lastIndex { $0.keyphrases == wanted } ?? idle.count - 1
                let decoder = idle.remove(at: index)
                state.idle[kind] = idle
                state.inUse[kind, default: 0] += 1
                return .some(decoder)
            }
            guard existing < capacity else { return nil }
            state.inUse[kind, default: 0] += 1
            return .some(nil)
        }
        guard let reserved else { return nil }
        let decoder: PocketSphinxDecoder
        if let reserved {
            decoder = reserved
            decoder.resetChannel()
        } else {
            do {
                decoder = try PocketSphinxDecoder(kind: kind, configuration: configuration)
            } catch {
                state.withLock { $0.inUse[kind, default: 0] -= 1 }
                throw error
            }
            state.withLock { $0.loaded[kind, default: 0] += 1 }
        }
        if let wanted {
            do {
                try decoder.setKeyphrases(wanted)
            } catch {
                release(decoder)
                throw error
            }
        }
        var suppressor: NoiseSuppressor?
        if let level = configuration.noiseSuppression {
            guard let made = NoiseSuppressor(level: level) else {
                release(decoder)
                throw .decoderUnavailable("WebRTC's noise suppressor could not be created")
            }
            suppressor = consume made
        }
        return SpeechRecognizer(mode: mode, decoder: decoder, pool: self, suppressor: suppressor)
    }

    /// Decoders in use, idle and loaded so far, per kind.
    public var counts: RecognizerPoolCounts {
        state.withLock { state in
            RecognizerPoolCounts(inUse: state.inUse, idle: state.idle.mapValues(\.count), loaded: state.loaded)
        }
    }

    /// Drops idle decoders (and their memory); leased ones return to the pool as usual.
    public func discardIdle() {
        let dropped = state.withLock { state in
            let dropped = state.idle
            state.idle = [:]
            return dropped
        }
        // Freed outside the lock: ps_free of a transcript decoder takes tens of milliseconds.
        _ = dropped
    }

    /// Takes back a decoder whose recognizer ended; it must be between utterances.
    func release(_ decoder: PocketSphinxDecoder) {
        decoder.endUtterance()
        state.withLock { state in
            state.inUse[decoder.kind, default: 0] -= 1
            state.idle[decoder.kind, default: []].append(decoder)
        }
    }

    private func capacity(_ kind: RecognizerKind) -> Int {
        switch kind {
        case .transcript: transcriptCapacity
        case .keyphrase: keyphraseCapacity
        }
    }
}
