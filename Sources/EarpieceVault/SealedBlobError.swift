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
    /// A segment did not authenticate under the file key, its counter, its last flag, the header and its descriptor.
    case authenticationFailed(segment: Int)
    /// A segment's descriptor declares more plaintext than the header's segment size allows.
    case segmentLengthOutOfRange(segment: Int, length: Int, segmentSize: Int)
    /// A segment other than the last declares no plaintext, which no writer produces.
    case emptySegmentBeforeLast(segment: Int)
    /// The sealed bytes end at a segment boundary without the last segment (cut short or never finished).
    case missingLastSegment(afterSegments: Int)
    /// The sealed bytes end inside a segment record: `have` of the `need` bytes it declares (4 if even its
    /// descriptor is cut).
    case truncatedSegment(segment: Int, have: Int, need: Int)
    /// Bytes follow the last segment.
    case bytesAfterLastSegment(count: Int)
    /// The file would need more segments than the 32-bit counter can number.
    case tooManySegments
    /// The cryptographic library refused an operation that cannot fail on valid input.
    case cryptoFailure(String)

    public var description: String {
        switch self {
        case .notASealedBlob:
            return "not a sealed blob: the file does not start with \"EPSB\""
        case .unsupportedVersion(let version) where version < SealedBlobHeader.currentVersion:
            return "sealed blob version \(version) is retired and cannot be read (this build reads version "
                + "\(SealedBlobHeader.currentVersion)); no release wrote it, so the file comes from a "
                + "development build and must be re-recorded"
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
                + "resized, reordered, foreign or cut segment; run recovery to keep the authentic prefix"
        case .segmentLengthOutOfRange(let segment, let length, let segmentSize):
            return "segment \(segment) declares \(length) bytes, more than the file's segment size "
                + "\(segmentSize): the file is damaged; run recovery to keep the authentic prefix"
        case .emptySegmentBeforeLast(let segment):
            return "segment \(segment) is empty but not last, which no writer produces: the file is damaged; "
                + "run recovery to keep the authentic prefix"
        case .missingLastSegment(let count):
            return "the sealed blob ends after \(count) segment(s) without its last segment: it was cut short "
                + "or never finished (a crash after a flush leaves this); run recovery to keep the authentic prefix"
        case .truncatedSegment(let segment, let have, let need):
            return "the sealed blob ends inside segment \(segment) (\(have) of its \(need) bytes): it was cut "
                + "short or the segment's length is damaged; run recovery to keep the authentic prefix"
        case .bytesAfterLastSegment(let count):
            return "\(count) byte(s) follow the sealed blob's last segment: something was appended to a "
                + "finished file; run recovery to keep the authentic content"
        case .tooManySegments:
            return "the sealed blob would exceed 2^32 segments; start a new file or use a larger segment size"
        case .cryptoFailure(let reason):
            return "the cryptographic library failed: \(reason)"
        }
    }
}
