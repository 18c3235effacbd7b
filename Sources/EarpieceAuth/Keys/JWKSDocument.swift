import Crypto

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The ES256 verification keys read from an identity provider's JWKS file (RFC 7517).
///
/// Only public EC P-256 keys meant for signatures are taken. Keys of other types (an RSA key published next to
/// the EC ones, say) are skipped and listed in the report. A file that holds a private key, two keys with one
/// `kid`, a P-256 key whose point is not on the curve, or no usable key at all is refused as a whole, and so
/// is a file that the group or others may write.
struct JWKSDocument {
    struct Key {
        let keyID: String
        let publicKey: P256.Signing.PublicKey
    }

    let keys: [Key]
    let skipped: [JWKSLoadReport.SkippedKey]

    static let maximumFileSize = 1 << 20

    static func load(path: String) throws(AuthError) -> JWKSDocument {
        let bytes = try KeyFileSystem.readOwnerWritableFile(path, maximumSize: maximumFileSize)
        return try JWKSDocument(parsing: bytes, path: path)
    }

    init(parsing bytes: [UInt8], path: String) throws(AuthError) {
        let document: RawDocument
        do {
            document = try JSONDecoder().decode(RawDocument.self, from: Data(bytes))
        } catch {
            throw .keyFile("\(path) is not a JWKS document: expected {\"keys\": [ … ]} with string members")
        }
        var keys: [Key] = []
        var skipped: [JWKSLoadReport.SkippedKey] = []
        var seen = Set<String>()
        for (index, raw) in document.keys.enumerated() {
            let label = raw.kid.map { "key \"\(AuthError.printable($0))\"" } ?? "key #\(index + 1)"
            guard raw.d == nil else {
                throw .keyFile("\(path): \(label) holds private key material (d); publish only public keys")
            }
            if let reason = Self.reasonToSkip(raw) {
                skipped.append(.init(keyID: raw.kid.map(AuthError.printable), reason: reason))
                continue
            }
            guard let kid = raw.kid else { continue }  // reasonToSkip refuses keys without a kid
            guard let x = raw.x.flatMap({ Base64URL.decode($0) }), x.count == 32,
                let y = raw.y.flatMap({ Base64URL.decode($0) }), y.count == 32
            else {
                throw .keyFile("\(path): \(label) needs x and y as base64url of 32 bytes each")
            }
            let publicKey: P256.Signing.PublicKey
            do {
                publicKey = try P256.Signing.PublicKey(rawRepresentation: x + y)
            } catch {
                throw .keyFile("\(path): \(label) is not a point on the P-256 curve")
            }
            guard seen.insert(kid).inserted else {
                throw .keyFile("\(path): two keys share the kid \"\(AuthError.printable(kid))\"")
            }
            keys.append(Key(keyID: kid, publicKey: publicKey))
        }
        guard !keys.isEmpty else {
            let detail = skipped.isEmpty ? "" : " (skipped: \(skipped.map(\.description).joined(separator: "; ")))"
            throw .keyFile("\(path) has no EC P-256 key for ES256 signatures\(detail)")
        }
        self.keys = keys
        self.skipped = skipped
    }

    private static func reasonToSkip(_ key: RawKey) -> String? {
        guard let kid = key.kid, !kid.isEmpty else { return "it has no kid, and Earpiece selects keys by kid" }
        guard IdentifierRules.isValidKeyID(kid) else { return "its kid is not 1–64 letters, digits and . _ : -" }
        guard key.kty == "EC" else { return "kty \(AuthError.printable(key.kty ?? "(none)")) is not EC" }
        guard key.crv == "P-256" else { return "crv \(AuthError.printable(key.crv ?? "(none)")) is not P-256" }
        if let alg = key.alg, alg != "ES256" { return "alg \(AuthError.printable(alg)) is not ES256" }
        if let use = key.use, use != "sig" { return "use \(AuthError.printable(use)) is not sig" }
        if let operations = key.keyOperations, !operations.contains("verify") {
            return "key_ops does not include verify"
        }
        return nil
    }

    private struct RawDocument: Decodable {
        let keys: [RawKey]
    }

    /// The members of a JWK that matter here; others (`n`, `e`, `x5c`, …) are ignored.
    private struct RawKey: Decodable {
        let kty: String?
        let crv: String?
        let x: String?
        let y: String?
        let d: String?
        let kid: String?
        let alg: String?
        let use: String?
        let keyOperations: [String]?

        private enum CodingKeys: String, CodingKey {
            case kty, crv, x, y, d, kid, alg, use
            case keyOperations = "key_ops"
        }
    }
}
