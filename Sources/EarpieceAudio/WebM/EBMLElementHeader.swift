/// The ID and size that open every EBML element (RFC 8794 §5).
struct EBMLElementHeader: Equatable {
    /// The element ID with its length marker, as Matroska writes IDs (e.g. 0x1A45DFA3).
    var id: UInt32
    /// The payload size in bytes, or nil for an unknown size (every value bit set).
    var size: Int?
    /// How many bytes the ID and size took.
    var length: Int

    /// Element IDs are at most 4 bytes in Matroska (EBMLMaxIDLength).
    static let maxIDLength = 4
    /// The longest possible header: a 4-byte ID and an 8-byte size.
    static let maxLength = 12

    /// Parses the header starting at `index`, looking no further than `end`.
    ///
    /// Returns nil while the header is incomplete. Throws as soon as the bytes seen can only be invalid, so
    /// that the error does not depend on how the stream was split.
    static func parse(_ bytes: [UInt8], at index: Int, end: Int) throws(AudioFormatError) -> EBMLElementHeader? {
        guard let idVarInt = try EBMLVarInt.decode(
            bytes, at: index, end: end, maxLength: maxIDLength, what: "an element ID")
        else { return nil }
        let idLength = idVarInt.length
        // RFC 8794 §5: an ID whose value bits are all zero is invalid and all ones is reserved.
        guard idVarInt.value != 0, !idVarInt.isAllOnes else {
            throw .malformed(.webm, "element ID \(hex(idVarInt.value | 1 << (7 &* UInt64(idLength)))) is reserved")
        }
        let id = UInt32(truncatingIfNeeded: idVarInt.value | 1 << (7 &* UInt64(idLength)))
        guard let sizeVarInt = try EBMLVarInt.decode(
            bytes, at: index &+ idLength, end: end, what: "the size of element \(hex(id))")
        else { return nil }
        // Sizes of at most 2^56 - 2 always fit in Int on the 64-bit platforms Earpiece runs on; clamp anyway.
        let value = sizeVarInt.value
        let size: Int? = sizeVarInt.isAllOnes ? nil : (value <= UInt64(Int.max) ? Int(value) : Int.max)
        return EBMLElementHeader(id: id, size: size, length: idLength &+ sizeVarInt.length)
    }

    /// An ID or value in the hexadecimal form the Matroska specification uses, for error messages.
    static func hex(_ value: some BinaryInteger) -> String {
        "0x" + String(value, radix: 16, uppercase: true)
    }
}
