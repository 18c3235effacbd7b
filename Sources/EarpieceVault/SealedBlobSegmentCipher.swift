import Crypto
import Foundation

/// Seals and opens one file's segments: the per-file key, the nonce layout and the header as associated data.
///
/// Its description and mirror are redacted so that no key material reaches a log by accident.
struct SealedBlobSegmentCipher: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The HKDF info prefix; the object id's UTF-8 bytes follow it.
    static let infoPrefix: [UInt8] = Array("earpiece sealed-blob v1".utf8)
    /// Bytes of GCM tag after each segment's ciphertext.
    static let tagLength = 16

    private let fileKey: SymmetricKey
    private let noncePrefix: [UInt8]
    private let associatedData: [UInt8]

    init(dataKey: SymmetricKey, header: SealedBlobHeader) throws(SealedBlobError) {
        guard dataKey.bitCount == 256 else { throw .invalidDataKey(byteCount: dataKey.bitCount / 8) }
        fileKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: dataKey, salt: header.salt,
            info: Self.infoPrefix + Array(header.objectID.utf8), outputByteCount: 32)
        noncePrefix = header.noncePrefix
        associatedData = header.encoded()
    }

    /// The 12-byte nonce: prefix ‖ counter (big-endian) ‖ last flag.
    func nonceBytes(counter: UInt32, isLast: Bool) -> [UInt8] {
        var nonce = noncePrefix
        SealedBlobHeader.appendBigEndian(UInt64(counter), byteCount: 4, to: &nonce)
        nonce.append(isLast ? 1 : 0)
        return nonce
    }

    /// Returns ciphertext ‖ tag.
    func seal(_ plaintext: ArraySlice<UInt8>, counter: UInt32, isLast: Bool) throws(SealedBlobError) -> [UInt8] {
        do {
            let nonce = try AES.GCM.Nonce(data: nonceBytes(counter: counter, isLast: isLast))
            let box = try AES.GCM.seal(plaintext, using: fileKey, nonce: nonce, authenticating: associatedData)
            return Array(box.ciphertext) + Array(box.tag)
        } catch {
            throw .cryptoFailure("AES-GCM sealing failed")
        }
    }

    /// Opens ciphertext ‖ tag, or throws `authenticationFailed` naming the segment.
    func open(_ segment: ArraySlice<UInt8>, counter: UInt32, isLast: Bool) throws(SealedBlobError) -> [UInt8] {
        guard segment.count >= Self.tagLength else { throw .authenticationFailed(segment: Int(counter)) }
        let split = segment.endIndex - Self.tagLength
        do {
            let box = try AES.GCM.SealedBox(
                nonce: AES.GCM.Nonce(data: nonceBytes(counter: counter, isLast: isLast)),
                ciphertext: segment[segment.startIndex..<split], tag: segment[split...])
            return Array(try AES.GCM.open(box, using: fileKey, authenticating: associatedData))
        } catch {
            throw .authenticationFailed(segment: Int(counter))
        }
    }

    var description: String { "SealedBlobSegmentCipher(redacted)" }
    var debugDescription: String { description }
    var customMirror: Mirror { Mirror(self, children: [:]) }
}
