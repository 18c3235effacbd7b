/// FNV-1a (32-bit) over UTF-8 bytes, the hashing that maps the model's word and word-pair features to rows.
///
/// Streaming by design: a pair's hash continues from its first word's state, so appending a word hashes only
/// that word's bytes. ASCII capitals are folded to lowercase as they are hashed, so no lowercased copy is made.
/// `docs/intent-model.md` specifies it; `Models/train.py` implements the same.
enum IntentFeatureHash {
    static let offsetBasis: UInt32 = 0x811C_9DC5
    static let prime: UInt32 = 0x0100_0193
    static let space: UInt8 = 0x20

    @inline(__always)
    static func mix(_ state: UInt32, _ byte: UInt8) -> UInt32 {
        let folded = byte &- 0x41 < 26 ? byte | 0x20 : byte
        return (state ^ UInt32(folded)) &* prime
    }

    /// The state after the seed's four little-endian bytes: every feature hash starts here.
    static func seeded(_ seed: UInt32) -> UInt32 {
        var state = offsetBasis
        for shift in stride(from: 0, to: 32, by: 8) { state = (state ^ ((seed >> UInt32(shift)) & 0xFF)) &* prime }
        return state
    }

    /// The state after `bytes`, continuing from `state`.
    @inline(__always)
    static func extend<Bytes: Sequence>(_ state: UInt32, with bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
        var state = state
        for byte in bytes { state = mix(state, byte) }
        return state
    }

    /// The state of the pair "first second", given the state after "first".
    @inline(__always)
    static func pair<Bytes: Sequence>(after first: UInt32, _ second: Bytes) -> UInt32 where Bytes.Element == UInt8 {
        extend(mix(first, space), with: second)
    }

    /// The start-of-window marker, hashed as the word "<s>".
    static func startMarker(seeded: UInt32) -> UInt32 { extend(seeded, with: "<s>".utf8) }
}
