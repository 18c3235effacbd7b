/// Every way a sealed blob can fail to be written, parsed or opened.
///
/// Descriptions never contain key material or plaintext; they name the field or segment at fault and what to do.
public enum SealedBlobError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes do not start with the sealed-blob magic.
    case notASealedBlob
    /// The header's version byte is one this build cannot read.
    case unsupportedVersion(UInt8)
    /// Fewer bytes than the header needs were given.
    case truncatedHeader(have: Int, need: Int)
    /// The declared header length is outside the range the format allows.
    case headerLengthOutOfRange(Int)
    /// The declared or requested segment size is outside the range the format allows.
    case segmentSizeOutOfRange(Int)
    /// A header field is inconsistent with the rest of the header.
    case malformedHeader(String)
    /// The object id is empty, too long or not UTF-8.
    case invalidObjectID(String)
    /// A key reference field is empty, too long or not UTF-8.
    case invalidKeyReference(String)
    /// The salt or nonce prefix has the wrong length.
    case invalidRandomField(String)
    /// The data key is not 32 bytes.
    case invalidDataKey(byteCount: Int)
    /// A segment did not authenticate under the file key, its counter, its last flag and the header.
    case authenticationFailed(segment: Int)
    /// The sealed bytes end without an authentic last segment (the file was cut short or never finished).
    case missingLastSegment(afterSegments: Int)
    /// The file would need more segments than the 32-bit counter can number.
    case tooManySegments
    /// The cryptographic library refused an operation that cannot fail on valid input.
    case cryptoFailure(String)

    public var description: String {
        switch self {
        case .notASealedBlob:
            return "not a sealed blob: the file does not start with \"EPSB\""
        case .unsupportedVersion(let version):
            return "sealed blob version \(version) is not supported (this build reads version "
                + "\(SealedBlobHeader.currentVersion)); upgrade Earpiece"
        case .truncatedHeader(let have, let need):
            return "sealed blob header is truncated: \(have) bytes present, \(need) needed"
        case .headerLengthOutOfRange(let length):
            return "sealed blob header length \(length) is outside "
                + "\(SealedBlobHeader.minimumLength)...\(SealedBlobHeader.maximumLength); "
                + "the file is damaged or not a sealed blob"
        case .segmentSizeOutOfRange(let size):
            return "segment size \(size) is outside "
                + "\(SealedBlobHeader.minimumSegmentSize)...\(SealedBlobHeader.maximumSegmentSize) bytes"
        case .malformedHeader(let reason):
            return "sealed blob header is malformed: \(reason)"
        case .invalidObjectID(let reason):
            return "invalid object id: \(reason)"
        case .invalidKeyReference(let reason):
            return "invalid key reference: \(reason)"
        case .invalidRandomField(let reason):
            return "invalid header field: \(reason)"
        case .invalidDataKey(let byteCount):
            return "the data key must be 32 bytes, not \(byteCount); unwrap the file's data key with its KEK first"
        case .authenticationFailed(let segment):
            return "segment \(segment) failed authentication: wrong data key, an edited header, or a damaged, "
                + "reordered, foreign or cut segment; run recovery to keep the authentic prefix"
        case .missingLastSegment(let count):
            return "the sealed blob ends after \(count) full segment(s) without its last segment: it was cut "
                + "short or never finished; run recovery to keep the authentic prefix"
        case .tooManySegments:
            return "the sealed blob would exceed 2^32 segments; start a new file or use a larger segment size"
        case .cryptoFailure(let reason):
            return "the cryptographic library failed: \(reason)"
        }
    }
}
