/// The clear-text header of a sealed blob, as laid out in `docs/sealed-blob.md`.
///
/// Its encoded bytes are the associated data of every segment, so any edit to it fails every segment.
public struct SealedBlobHeader: Sendable, Hashable {
    /// The four bytes every sealed blob starts with: `EPSB`.
    public static let magic: [UInt8] = Array("EPSB".utf8)
    /// The format version this build writes and reads; version 1 (fixed-size segments, no flush) is retired.
    public static let currentVersion: UInt8 = 2
    /// The most plaintext bytes per segment unless the writer asks otherwise.
    public static let defaultSegmentSize = 64 * 1024
    /// The smallest segment size the format allows (small enough for test vectors).
    public static let minimumSegmentSize = 16
    /// The largest segment size the format allows, which bounds a reader's buffer per segment.
    public static let maximumSegmentSize = 1024 * 1024
    /// Bytes of random salt for the per-file key.
    public static let saltLength = 32
    /// Bytes of random nonce prefix.
    public static let noncePrefixLength = 7
    /// The most UTF-8 bytes an object id may have.
    public static let maximumObjectIDBytes = 64
    /// Bytes before the variable-length fields: magic, version, header length, segment size, salt, nonce prefix.
    static let fixedLength = 4 + 1 + 2 + 4 + saltLength + noncePrefixLength
    /// The bytes a reader needs to learn the header length.
    public static let lengthPrefixBytes = 7
    /// The shortest possible header: one-byte object id, org and env.
    public static let minimumLength = fixedLength + (1 + 1) + (1 + 1) + (1 + 1) + 4
    /// The longest possible header: every string at its maximum.
    public static let maximumLength = fixedLength + (1 + maximumObjectIDBytes)
        + (1 + SealedBlobKeyReference.maximumOrgBytes) + (1 + SealedBlobKeyReference.maximumEnvBytes) + 4

    /// The most plaintext bytes a segment may hold; a reader refuses a longer one before buffering it.
    public let segmentSize: Int
    /// The random salt that, with the data key and object id, derives the per-file key.
    public let salt: [UInt8]
    /// The random first seven bytes of every segment's nonce.
    public let noncePrefix: [UInt8]
    /// The id of the object this file holds; the per-file key is bound to it.
    public let objectID: String
    /// Which KEK wraps the data key.
    public let keyReference: SealedBlobKeyReference

    /// Checks every field's bounds.
    public init(
        segmentSize: Int, salt: [UInt8], noncePrefix: [UInt8], objectID: String,
        keyReference: SealedBlobKeyReference
    ) throws(SealedBlobError) {
        guard (Self.minimumSegmentSize...Self.maximumSegmentSize).contains(segmentSize) else {
            throw .segmentSizeOutOfRange(segmentSize)
        }
        guard salt.count == Self.saltLength else {
            throw .invalidRandomField("the salt must be \(Self.saltLength) bytes, not \(salt.count)")
        }
        guard noncePrefix.count == Self.noncePrefixLength else {
            throw .invalidRandomField(
                "the nonce prefix must be \(Self.noncePrefixLength) bytes, not \(noncePrefix.count)")
        }
        let idBytes = objectID.utf8.count
        guard idBytes >= 1, idBytes <= Self.maximumObjectIDBytes else {
            throw .invalidObjectID("it must be 1...\(Self.maximumObjectIDBytes) UTF-8 bytes, not \(idBytes)")
        }
        self.segmentSize = segmentSize
        self.salt = salt
        self.noncePrefix = noncePrefix
        self.objectID = objectID
        self.keyReference = keyReference
    }

    /// The number of bytes `encoded()` returns; segment records start at this offset.
    public var encodedLength: Int {
        Self.fixedLength + 1 + objectID.utf8.count + 1 + keyReference.org.utf8.count
            + 1 + keyReference.env.utf8.count + 4
    }

    /// The header's bytes, exactly as written to disk and authenticated with every segment.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(encodedLength)
        out += Self.magic
        out.append(Self.currentVersion)
        Self.appendBigEndian(UInt64(encodedLength), byteCount: 2, to: &out)
        Self.appendBigEndian(UInt64(segmentSize), byteCount: 4, to: &out)
        out += salt
        out += noncePrefix
        for field in [objectID, keyReference.org, keyReference.env] {
            out.append(UInt8(field.utf8.count))
            out += field.utf8
        }
        Self.appendBigEndian(UInt64(keyReference.kekVersion), byteCount: 4, to: &out)
        return out
    }

    /// Reads the header length from the first `lengthPrefixBytes` bytes, checking magic, version and bounds, so a
    /// streaming reader knows how many bytes to gather before calling `parse`.
    public static func declaredLength(in prefix: some Collection<UInt8>) throws(SealedBlobError) -> Int {
        let bytes = Array(prefix.prefix(lengthPrefixBytes))
        let magicBytes = min(bytes.count, magic.count)
        guard bytes.prefix(magicBytes) == magic.prefix(magicBytes) else { throw .notASealedBlob }
        guard bytes.count >= lengthPrefixBytes else {
            throw .truncatedHeader(have: bytes.count, need: lengthPrefixBytes)
        }
        // Version 1 files are refused too: no release stored one, so no reader is kept for them.
        guard bytes[4] == currentVersion else { throw .unsupportedVersion(bytes[4]) }
        let length = Int(bytes[5]) << 8 | Int(bytes[6])
        guard (minimumLength...maximumLength).contains(length) else { throw .headerLengthOutOfRange(length) }
        return length
    }

    /// Parses the header at the start of `bytes` (bytes after it are ignored), checking every bound and that the
    /// fields end exactly at the declared header length.
    public static func parse(_ bytes: some Collection<UInt8>) throws(SealedBlobError) -> SealedBlobHeader {
        let length = try declaredLength(in: bytes)
        let raw = Array(bytes.prefix(length))
        guard raw.count == length else { throw .truncatedHeader(have: raw.count, need: length) }
        var cursor = HeaderCursor(bytes: raw, offset: lengthPrefixBytes)
        let segmentSize = Int(try cursor.bigEndian(byteCount: 4))
        guard (minimumSegmentSize...maximumSegmentSize).contains(segmentSize) else {
            throw .segmentSizeOutOfRange(segmentSize)
        }
        let salt = try cursor.bytes(saltLength)
        let noncePrefix = try cursor.bytes(noncePrefixLength)
        let objectID = try cursor.string(field: "object id", maximum: maximumObjectIDBytes)
        let org = try cursor.string(field: "org", maximum: SealedBlobKeyReference.maximumOrgBytes)
        let env = try cursor.string(field: "env", maximum: SealedBlobKeyReference.maximumEnvBytes)
        let kekVersion = UInt32(try cursor.bigEndian(byteCount: 4))
        guard cursor.offset == length else {
            throw .malformedHeader("the fields end at byte \(cursor.offset) but the header length says \(length)")
        }
        return try SealedBlobHeader(
            segmentSize: segmentSize, salt: salt, noncePrefix: noncePrefix, objectID: objectID,
            keyReference: try SealedBlobKeyReference(org: org, env: env, kekVersion: kekVersion))
    }

    static func appendBigEndian(_ value: UInt64, byteCount: Int, to out: inout [UInt8]) {
        for shift in stride(from: (byteCount - 1) * 8, through: 0, by: -8) {
            out.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }
}

/// Bounds-checked reads over a header whose length is already known.
private struct HeaderCursor {
    let bytes: [UInt8]
    var offset: Int

    mutating func bytes(_ count: Int) throws(SealedBlobError) -> [UInt8] {
        guard count <= bytes.count - offset else {
            throw .malformedHeader("a field runs past the declared header length \(bytes.count)")
        }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    mutating func bigEndian(byteCount: Int) throws(SealedBlobError) -> UInt64 {
        try bytes(byteCount).reduce(0) { $0 << 8 | UInt64($1) }
    }

    mutating func string(field: String, maximum: Int) throws(SealedBlobError) -> String {
        let count = Int(try bytes(1)[0])
        guard count >= 1, count <= maximum else {
            throw .malformedHeader("the \(field) length \(count) is outside 1...\(maximum)")
        }
        let raw = try bytes(count)
        guard let value = String(validating: raw, as: UTF8.self) else {
            throw .malformedHeader("the \(field) is not valid UTF-8")
        }
        return value
    }
}
