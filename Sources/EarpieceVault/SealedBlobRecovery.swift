/// What recovery could save from a damaged or unfinished sealed blob.
public struct SealedBlobRecovery: Sendable, Equatable {
    /// The plaintext of every segment that authenticated, in order, up to the first failure.
    public let plaintext: [UInt8]
    /// How many segments authenticated, counting the last one if it did.
    public let authenticSegments: Int
    /// Why reading stopped, or `nil` when the file is complete and authentic with nothing after its last segment.
    public let stopReason: SealedBlobError?

    /// Whether the whole file authenticated and ended exactly after its last segment.
    public var isComplete: Bool { stopReason == nil }
}
