import Crypto
import JWTKit

/// One key that tokens may be signed with, bound to its algorithm and to the issuer it speaks for.
///
/// Each key sits alone in its own `JWTKeyCollection`: the collection falls back to its default key when a
/// token's `kid` is unknown, and with one key per collection that fallback can only ever reach the key that
/// ``TokenVerifier`` already chose by `kid`.
struct VerificationKey: Sendable {
    enum Algorithm: String, Sendable {
        case hs256 = "HS256"
        case es256 = "ES256"
    }

    enum Source: Sendable {
        case developmentKey
        case jwks
    }

    let keyID: String
    let algorithm: Algorithm
    let source: Source
    /// The `iss` that tokens signed with this key must carry.
    let issuer: String
    let collection: JWTKeyCollection

    static func hs256(_ key: DevSigningKey, issuer: String) async -> VerificationKey {
        let collection = JWTKeyCollection()
        await collection.add(
            hmac: HMACKey(key: key.secret), digestAlgorithm: .sha256, kid: JWKIdentifier(string: key.keyID))
        return VerificationKey(
            keyID: key.keyID, algorithm: .hs256, source: .developmentKey, issuer: issuer, collection: collection)
    }

    static func es256(keyID: String, publicKey: P256.Signing.PublicKey, issuer: String) async throws(AuthError)
        -> VerificationKey
    {
        let key: ES256PublicKey
        do {
            key = try ES256PublicKey(backing: publicKey)
        } catch {
            throw .keyFile("key \"\(keyID)\" could not be used as an ES256 public key")
        }
        let collection = JWTKeyCollection()
        await collection.add(ecdsa: key, kid: JWKIdentifier(string: keyID))
        return VerificationKey(keyID: keyID, algorithm: .es256, source: .jwks, issuer: issuer, collection: collection)
    }
}
