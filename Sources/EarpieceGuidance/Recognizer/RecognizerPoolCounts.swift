/// How many decoders a pool holds, per kind, for metrics.
public struct RecognizerPoolCounts: Sendable, Equatable {
    /// Decoders leased to a recognizer right now (including ones being loaded for one).
    public var inUse: [RecognizerKind: Int]
    /// Loaded decoders waiting for the next call.
    public var idle: [RecognizerKind: Int]
    /// Decoders loaded since the pool was made; reuse leaves it unchanged.
    public var loaded: [RecognizerKind: Int]

    public init(inUse: [RecognizerKind: Int] = [:], idle: [RecognizerKind: Int] = [:], loaded: [RecognizerKind: Int] = [:]) {
        self.inUse = inUse
        self.idle = idle
        self.loaded = loaded
    }

    /// Decoders of `kind` in use.
    public func inUse(_ kind: RecognizerKind) -> Int { inUse[kind, default: 0] }
    /// Decoders of `kind` idle.
    public func idle(_ kind: RecognizerKind) -> Int { idle[kind, default: 0] }
    /// Decoders of `kind` loaded so far.
    public func loaded(_ kind: RecognizerKind) -> Int { loaded[kind, default: 0] }
}
