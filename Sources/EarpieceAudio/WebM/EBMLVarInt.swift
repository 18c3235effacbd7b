/// EBML's variable-length integers (RFC 8794 §4): the count of leading zero bits in the first byte, plus one,
/// is the integer's length in bytes; the bits after that marker are the value.
enum EBMLVarInt {
    /// One decoded variable-length integer.
    struct Decoded: Equatable {
        /// The value bits, without the length marker.
        var value: UInt64
        /// How many bytes the integer took (1…8).
        var length: Int

        /// Whether every value bit is set, which for an element size means "unknown" (RFC 8794 §6.2).
        var isAllOnes: Bool { value == Self.allOnes(length: length) }

        /// The value with every value bit set for a VINT of `length` bytes.
        static func allOnes(length: Int) -> UInt64 { (1 << (7 &* UInt64(length))) &- 1 }
    }

    /// The length in bytes announced by a VINT's first byte, or nil for 0x00 (which would announce more
    /// than 8 bytes and is not valid EBML).
    static func length(firstByte: UInt8) -> Int? {
        firstByte == 0 ? nil : firstByte.leadingZeroBitCount + 1
    }

    /// Decodes the VINT starting at `index` in `bytes`, reading no further than `end`.
    ///
    /// Returns nil when the integer continues past `end` (more bytes are needed); throws when the first byte
    /// is 0x00, or announces more than `maxLength` bytes. `what` names the integer in errors; it is only built
    /// when one is thrown.
    static func decode(
        _ bytes: [UInt8], at index: Int, end: Int, maxLength: Int = 8, what: @autoclosure () -> String
    ) throws(AudioFormatError) -> Decoded? {
        guard index < end else { return nil }
        let first = bytes[index]
        guard let length = length(firstByte: first) else {
            throw .malformed(.webm, "\(what()) starts with byte 0x00, which is not a valid EBML variable-length integer")
        }
        guard length <= maxLength else {
            throw .malformed(.webm, "\(what()) is \(length) bytes long; at most \(maxLength) are allowed")
        }
        guard end - index >= length else { return nil }
        // Drop the marker bit: the value bits of the first byte are those below it.
        var value = UInt64(first) & ((1 << UInt64(8 &- length)) &- 1)
        var position = index &+ 1
        while position < index &+ length {
            value = value << 8 | UInt64(bytes[position])
            position &+= 1
        }
        return Decoded(value: value, length: length)
    }
}
