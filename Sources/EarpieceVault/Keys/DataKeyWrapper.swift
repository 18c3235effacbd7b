import Crypto

/// Wraps, unwraps and rewraps per-object data keys under tenants' KEKs, as `docs/key-hierarchy.md` lays out.
///
/// A wrap uses the keyring's active version; an unwrap uses the version written in the wrapped key. The
/// associated data binds the wrapped key to its org, env, object id and KEK version, so a wrapped key copied to
/// another object or tenant, or relabelled with another version, fails authentication.
public struct DataKeyWrapper: Sendable {
    /// The root keys that KEKs are derived from.
    public let keyring: Keyring

    public init(keyring: Keyring) {
        self.keyring = keyring
    }

    /// A fresh random 32-byte data key, for one object.
    public static func newDataKey() -> SymmetricKey { SymmetricKey(size: .bits256) }

    /// Wraps `dataKey` for `objectID` of (`org`, `env`) under the KEK of the active version.
    public func wrap(dataKey: SymmetricKey, org: String, env: String, objectID: String) throws(DataKeyError)
        -> WrappedDataKey
    {
        guard dataKey.bitCount == 256 else { throw .invalidDataKey(byteCount: dataKey.bitCount / 8) }
        let kek = try KeyEncryptionKey(keyring: keyring, org: org, env: env, version: keyring.activeVersion)
        let header = WrappedDataKey.header(kekVersion: kek.version)
        let associatedData = try Self.associatedData(header: header, org: org, env: env, objectID: objectID)
        do {
            let box = try dataKey.withUnsafeBytes { plaintext in
                try AES.GCM.seal(plaintext, using: kek.key, nonce: AES.GCM.Nonce(), authenticating: associatedData)
            }
            return WrappedDataKey(
                kekVersion: kek.version, nonce: Array(box.nonce), ciphertext: Array(box.ciphertext),
                tag: Array(box.tag))
        } catch {
            throw .cryptoFailure("AES-GCM seal failed")
        }
    }

    /// The data key inside `wrapped`, if it was wrapped for exactly this org, env and object id.
    public func unwrap(_ wrapped: WrappedDataKey, org: String, env: String, objectID: String) throws(DataKeyError)
        -> SymmetricKey
    {
        let kek = try KeyEncryptionKey(keyring: keyring, org: org, env: env, version: wrapped.kekVersion)
        let associatedData = try Self.associatedData(
            header: Array(wrapped.header), org: org, env: env, objectID: objectID)
        let box: AES.GCM.SealedBox
        do {
            box = try AES.GCM.SealedBox(
                nonce: AES.GCM.Nonce(data: wrapped.nonce), ciphertext: wrapped.ciphertext, tag: wrapped.tag)
        } catch {
            throw .malformedWrappedKey("the nonce or tag has the wrong length")
        }
        do {
            let plaintext = try AES.GCM.open(box, using: kek.key, authenticating: associatedData)
            return SymmetricKey(data: plaintext)
        } catch {
            throw .authenticationFailed
        }
    }

    /// The same data key, wrapped under the active version: for the background rewrap after a rotation.
    ///
    /// A key already under the active version is returned as it is; the audio it protects is never re-encrypted.
    public func rewrap(_ wrapped: WrappedDataKey, org: String, env: String, objectID: String) throws(DataKeyError)
        -> WrappedDataKey
    {
        let dataKey = try unwrap(wrapped, org: org, env: env, objectID: objectID)
        guard wrapped.kekVersion != keyring.activeVersion else { return wrapped }
        return try wrap(dataKey: dataKey, org: org, env: env, objectID: objectID)
    }

    /// `header ‖ u8 len ‖ org ‖ u8 len ‖ env ‖ u8 len ‖ object id`: each field length-prefixed, so no two
    /// bindings share a byte string.
    static func associatedData(header: [UInt8], org: String, env: String, objectID: String) throws(DataKeyError)
        -> [UInt8]
    {
        try KeyEncryptionKey.checkBinding(org, field: "org", maximum: SealedBlobKeyReference.maximumOrgBytes)
        try KeyEncryptionKey.checkBinding(env, field: "env", maximum: SealedBlobKeyReference.maximumEnvBytes)
        try KeyEncryptionKey.checkBinding(objectID, field: "object id", maximum: SealedBlobHeader.maximumObjectIDBytes)
        var out = header
        for field in [org, env, objectID] {
            out.append(UInt8(field.utf8.count))
            out += field.utf8
        }
        return out
    }
}
