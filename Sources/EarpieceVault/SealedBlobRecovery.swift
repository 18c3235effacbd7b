/// What recovery could save from a damaged or unfinished sealed blob.
public struct SealedBlobRecovery: Sendable, Equatable {
    /// The plaintext of every segment that authenticated, in order, up to the first that did not.
    public let plaintext: [UInt8]
    /// How many segments authenticated, counting the last one when the file is complete.
    public let authenticSegments: Int
    /// Why reading stopped before the end, or `nil` when the file is complete and authentic.
    public let stopReason: SealedBlobError?

    /// Whether the whole file, last segment included, authenticated.
    public var isComplete: Bool { stopReason == nil }
}
