@testable import EarpieceVault

/// A sealed file cut into its header and segment records by following the descriptors, to inspect or tamper with.
///
/// Parsing is lenient (it never checks lengths against the segment size or authenticates): bytes that do not make a
/// whole record end up in `tail`.
struct SealedBlobRecords {
    var header: [UInt8]
    var records: [[UInt8]]
    var tail: [UInt8] = []

    init(_ sealed: [UInt8]) throws {
        let parsed = try SealedBlobHeader.parse(sealed)
        header = Array(sealed[..<parsed.encodedLength])
        records = []
        var offset = parsed.encodedLength
        while sealed.count - offset >= 4 {
            let descriptor = SealedBlobSegmentDescriptor(decoding: sealed[offset...])
            guard sealed.count - offset >= descriptor.recordLength else { break }
            records.append(Array(sealed[offset..<offset + descriptor.recordLength]))
            offset += descriptor.recordLength
        }
        tail = Array(sealed[offset...])
    }

    var joined: [UInt8] { header + records.joined() + tail }

    /// Each record's descriptor.
    var descriptors: [SealedBlobSegmentDescriptor] { records.map { SealedBlobSegmentDescriptor(decoding: $0[...]) } }

    /// The plaintext offsets at which segments end: a recovered prefix must end at one of these (or at 0).
    var plaintextBoundaries: [Int] {
        var total = 0
        return [0] + descriptors.map { descriptor in
            total += descriptor.length
            return total
        }
    }

    /// The file offsets at which records end (the first is the end of the header).
    var recordBoundaries: [Int] {
        var total = header.count
        return [total] + records.map { record in
            total += record.count
            return total
        }
    }

    /// Sets record `index`'s descriptor to `length` and `isLast`, leaving its ciphertext and tag alone.
    mutating func setDescriptor(of index: Int, length: Int, isLast: Bool) {
        let raw = (UInt32(truncatingIfNeeded: length) & 0x7fff_ffff) | (isLast ? 0x8000_0000 : 0)
        for byte in 0..<4 { records[index][byte] = UInt8(truncatingIfNeeded: raw >> (24 - 8 * UInt32(byte))) }
    }
}
