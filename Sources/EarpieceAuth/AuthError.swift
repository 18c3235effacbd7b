/// Why a token was refused, or why the keys that check tokens could not be loaded.
///
/// Every case that ``TokenVerifier/verify(_:at:)`` throws is a failed credential: the gateway answers 401 and
/// may send `description` to the client. No description ever contains the token, a signature or a secret; the
/// only values from the token that appear (a `kid`, an `alg`) are cut to a short, printable form first.
/// ``keyFile(_:)`` and ``configuration(_:)`` come from start-up and reloads, and are meant for the operator.
public enum AuthError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No token came with the request.
    case missingToken
    /// The token is not a compact JWS: wrong shape, bad base64url, a header that is not JSON, or too long.
    case malformedToken(String)
    /// `exp` has passed, even allowing for the clock skew.
    case expired
    /// `nbf` is still in the future, even allowing for the clock skew.
    case notYetValid
    /// `aud` does not name this gateway.
    case wrongAudience(expected: String)
    /// `iss` is not the issuer trusted for the key that signed the token.
    case wrongIssuer
    /// The header has no `kid`; Earpiece never guesses which key was meant.
    case missingKeyID
    /// The header's `kid` names no key that this gateway holds.
    case unknownKey(String)
    /// The header's `alg` is not HS256 or ES256 (this includes `none`).
    case unsupportedAlgorithm(String)
    /// The header's `alg` is not the algorithm of the key its `kid` names (HS256 against an ES256 key or the reverse).
    case algorithmMismatch(tokenAlgorithm: String, keyAlgorithm: String)
    /// The signature does not verify with the key the `kid` names.
    case badSignature
    /// A required claim is absent.
    case missingClaim(String)
    /// A claim is present but its type or value is not acceptable.
    case invalidClaim(String, reason: String)
    /// A key file could not be created, read or trusted; the reason names the file and the fix.
    case keyFile(String)
    /// The configuration cannot work as given (no key source, a clash between key ids, an empty issuer, …).
    case configuration(String)

    public var description: String {
        switch self {
        case .missingToken:
            return "missing bearer token"
        case .malformedToken(let reason):
            return "malformed token: \(reason)"
        case .expired:
            return "token has expired"
        case .notYetValid:
            return "token is not valid yet (nbf is in the future)"
        case .wrongAudience(let expected):
            return "token audience (aud) does not include \"\(expected)\""
        case .wrongIssuer:
            return "token issuer (iss) is not trusted for its signing key"
        case .missingKeyID:
            return "token header has no key id (kid)"
        case .unknownKey(let kid):
            return "unknown signing key id \"\(kid)\""
        case .unsupportedAlgorithm(let alg):
            return "unsupported token algorithm \"\(alg)\": only HS256 and ES256 are accepted"
        case .algorithmMismatch(let tokenAlgorithm, let keyAlgorithm):
            return "token algorithm \(tokenAlgorithm) does not match its key, which is \(keyAlgorithm)"
        case .badSignature:
            return "token signature is not valid"
        case .missingClaim(let name):
            return "token is missing the \"\(name)\" claim"
        case .invalidClaim(let name, let reason):
            return "token claim \"\(name)\" is invalid: \(reason)"
        case .keyFile(let reason):
            return "key file: \(reason)"
        case .configuration(let reason):
            return "auth configuration: \(reason)"
        }
    }

    /// A value taken from a token, cut down so that it is safe to put into a message: at most 64 characters
    /// from `[A-Za-z0-9._:-]`, anything else replaced by `?`.
    static func printable(_ value: String) -> String {
        let limit = 64
        var result = String(
            value.unicodeScalars.prefix(limit).map { scalar -> Character in
                IdentifierRules.isKeyIDScalar(scalar) ? Character(scalar) : "?"
            })
        if value.unicodeScalars.count > limit { result += "…" }
        return result
    }
}
