import Crypto
import Foundation

/// Seals and opens one file's segment records: the per-file key, the nonce layout, and the header and descriptor
/// as associated data.
///
/// Its description and mirror are redacted so that no key material reaches a log by accident.
struct SealedBlobSegmentCipher: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The HKDF info prefix; the object id's UTF-8 bytes follow it. It names the key derivation, which version 2
    /// kept, so it still says v1.
    static let infoPrefix: [UInt8] = Array("earpiece sealed-blob v1".utf8)
    /// Bytes of GCM tag after each segment's ciphertext.
    static let tagLength = 16

    private let fileKey: SymmetricKey
    private let noncePrefix: [UInt8]
    private let headerBytes: [UInt8]

    init(dataKey: SymmetricKey, header: SealedBlobHeader) throws(SealedBlobError) {
        guard dataKey.bitCount == 256 else { throw .invalidDataKey(byteCount: dataKey.bitCount / 8) }
        fileKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: dataKey, salt: header.salt,
            info: Self.infoPrefix + Array(header.objectID.utf8), outputByteCount: 32)
        noncePrefix = header.noncePrefix
        headerBytes = header.encoded()
    }

    /// The 12-byte nonce: prefix ‖ counter (big-endian) ‖ last flag.
    func nonceBytes(counter: UInt32, isLast: Bool) -> [UInt8] {
        var nonce = noncePrefix
        SealedBlobHeader.appendBigEndian(UInt64(counter), byteCount: 4, to: &nonce)
        nonce.append(isLast ? 1 : 0)
        return nonce
    }

    /// The associated data of one segment: the whole header, then that segment's descriptor.
    func associatedData(for descriptor: SealedBlobSegmentDescriptor) -> [UInt8] {
        headerBytes + descriptor.encoded()
    }

    /// Seals `plaintext` (at most the segment size) and returns the whole record: descriptor ‖ ciphertext ‖ tag.
    func seal(_ plaintext: ArraySlice<UInt8>, counter: UInt32, isLast: Bool) throws(SealedBlobError) -> [UInt8] {
        let descriptor = SealedBlobSegmentDescriptor(length: plaintext.count, isLast: isLast)
        do {
            let nonce = try AES.GCM.Nonce(data: nonceBytes(counter: counter, isLast: isLast))
            let box = try AES.GCM.seal(
                plaintext, using: fileKey, nonce: nonce, authenticating: associatedData(for: descriptor))
            var record = descriptor.encoded()
            record.reserveCapacity(descriptor.recordLength)
            record += box.ciphertext
            record += box.tag
            return record
        } catch {
            throw .cryptoFailure("AES-GCM sealing failed")
        }
    }

    /// Opens ciphertext ‖ tag under `descriptor`, which the caller read from the record and whose length the
    /// caller checked, or throws `authenticationFailed` naming the segment.
    func open(
        _ sealed: ArraySlice<UInt8>, descriptor: SealedBlobSegmentDescriptor, counter: UInt32
    ) throws(SealedBlobError) -> [UInt8] {
        guard sealed.count == descriptor.length + Self.tagLength else {
            throw .authenticationFailed(segment: Int(counter))
        }
        let split = sealed.endIndex - Self.tagLength
        do {
            let box = try AES.GCM.SealedBox(
                nonce: AES.GCM.Nonce(data: nonceBytes(counter: counter, isLast: descriptor.isLast)),
                ciphertext: sealed[sealed.startIndex..<split], tag: sealed[split...])
            return Array(try AES.GCM.open(box, using: fileKey, authenticating: associatedData(for: descriptor)))
        } catch {
            throw .authenticationFailed(segment: Int(counter))
        }
    }

    var description: String { "SealedBlobSegmentCipher(redacted)" }
    var debugDescription: String { description }
    var customMirror: Mirror { Mirror(self, children: [:]) }
}
