/// The four bytes before each segment's ciphertext: its plaintext length and whether it is the last segment.
///
/// Bit 31 is the last flag and bits 0–30 the length, big-endian. The descriptor is associated data of its own
/// segment, so neither field can be edited without that segment failing.
struct SealedBlobSegmentDescriptor: Sendable, Hashable {
    /// Bytes of descriptor before each segment's ciphertext.
    static let encodedLength = 4
    /// The bit that marks the last segment.
    static let lastFlag: UInt32 = 1 << 31

    /// The segment's plaintext length (its ciphertext has as many bytes).
    let length: Int
    /// Whether this is the file's last segment.
    let isLast: Bool

    /// A descriptor for a segment of `length` plaintext bytes; the writer only ever passes lengths up to `S`.
    init(length: Int, isLast: Bool) {
        self.length = length
        self.isLast = isLast
    }

    /// Decodes the four bytes at the start of `bytes`, which must hold at least `encodedLength` bytes.
    init(decoding bytes: ArraySlice<UInt8>) {
        let raw = bytes.prefix(Self.encodedLength).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        self.length = Int(raw & ~Self.lastFlag)
        self.isLast = raw & Self.lastFlag != 0
    }

    /// The descriptor's bytes, as written before the ciphertext and authenticated with it.
    func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(Self.encodedLength)
        let raw = (UInt32(truncatingIfNeeded: length) & ~Self.lastFlag) | (isLast ? Self.lastFlag : 0)
        SealedBlobHeader.appendBigEndian(UInt64(raw), byteCount: Self.encodedLength, to: &out)
        return out
    }

    /// Checks the length against the header's segment size before the reader buffers the segment, so that a
    /// hostile length is refused without allocating for it.
    func validate(segmentSize: Int, segment: Int) throws(SealedBlobError) {
        guard length <= segmentSize else {
            throw .segmentLengthOutOfRange(segment: segment, length: length, segmentSize: segmentSize)
        }
        guard length > 0 || isLast else { throw .emptySegmentBeforeLast(segment: segment) }
    }

    /// Bytes of the whole record on disk: descriptor, ciphertext and tag.
    var recordLength: Int { Self.encodedLength + length + SealedBlobSegmentCipher.tagLength }
}
