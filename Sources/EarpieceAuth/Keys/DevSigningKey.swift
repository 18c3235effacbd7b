import Crypto

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The embedded default signing key: a 256-bit HS256 secret that the server creates in its data directory on
/// first run, at `keys/jwt-hs256.json` (`{"kid": "dev-…", "secret": "<base64url>"}`, mode 0600, in a 0700
/// directory).
///
/// Anyone who can read the file can mint tokens for any organisation, so it is refused when the group or
/// others may read it. Its `description` names the key id and file, never the secret.
public struct DevSigningKey: Sendable, CustomStringConvertible {
    /// The `kid` that tokens signed with this key carry.
    public let keyID: String
    /// Where the key lives.
    public let path: String
    /// Whether this call created the file (first run) rather than reading one that was there.
    public let isNewlyCreated: Bool
    let secret: SymmetricKey

    /// The file's path relative to the data directory.
    public static let relativePath = "keys/jwt-hs256.json"
    static let secretByteCount = 32

    public var description: String { "HS256 key \(keyID) at \(path)" }

    /// Reads the key from `dataDirectory`, or creates it there if there is none yet.
    public static func loadOrCreate(dataDirectory: String) throws(AuthError) -> DevSigningKey {
        let keysDirectory = KeyFileSystem.join(dataDirectory, "keys")
        let path = KeyFileSystem.join(dataDirectory, relativePath)
        try KeyFileSystem.ensurePrivateDirectory(keysDirectory)
        if let existing = try load(path: path) { return existing }

        let keyID = "dev-" + KeyFileSystem.randomHex(bytes: 8)
        let secret = SymmetricKey(size: .bits256)
        let file = KeyFileContents(kid: keyID, secret: secret.withUnsafeBytes { Base64URL.encode($0) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let bytes: [UInt8]
        do {
            bytes = try Array(encoder.encode(file)) + [UInt8(ascii: "\n")]
        } catch {
            throw .keyFile("cannot encode a new key for \(path)")
        }
        if try KeyFileSystem.createOwnerOnlyFile(path, contents: bytes) {
            return DevSigningKey(keyID: keyID, path: path, isNewlyCreated: true, secret: secret)
        }
        // Another process created the key between our read and our write: use theirs.
        guard let existing = try load(path: path) else {
            throw .keyFile("\(path) vanished while it was being created")
        }
        return existing
    }

    /// Reads the key at `path`, or returns `nil` if there is no file.
    static func load(path: String) throws(AuthError) -> DevSigningKey? {
        guard let bytes = try KeyFileSystem.readOwnerOnlyFile(path, maximumSize: 4096) else { return nil }
        let file: KeyFileContents
        do {
            file = try JSONDecoder().decode(KeyFileContents.self, from: Data(bytes))
        } catch {
            throw .keyFile("\(path) is not a JSON object with string fields kid and secret")
        }
        guard IdentifierRules.isValidKeyID(file.kid) else {
            throw .keyFile("\(path) has an invalid kid: use 1–64 letters, digits and . _ : -")
        }
        guard let secret = Base64URL.decode(file.secret), secret.count >= secretByteCount else {
            throw .keyFile("\(path) has a secret that is not base64url of at least \(secretByteCount) bytes")
        }
        return DevSigningKey(keyID: file.kid, path: path, isNewlyCreated: false, secret: SymmetricKey(data: secret))
    }

    private struct KeyFileContents: Codable {
        let kid: String
        let secret: String
    }
}
