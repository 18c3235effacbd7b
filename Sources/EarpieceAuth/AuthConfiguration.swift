/// Which tokens the gateway trusts: the keys, and the issuer and audience the tokens must name.
public struct AuthConfiguration: Sendable {
    /// The `iss` that tokens signed with the development HS256 key must carry, and the one that `earpiece
    /// token` writes.
    public var issuer: String
    /// The value that a token's `aud` must contain, whichever key signed it.
    public var audience: String
    /// How far `exp`, `nbf` and `iat` may be off against this machine's clock.
    public var clockSkew: Duration
    /// The server's data directory; the development key lives in `keys/jwt-hs256.json` under it.
    public var dataDirectory: String
    /// Whether tokens signed with the development HS256 key are accepted (the key is created on first use).
    public var acceptsDevelopmentKey: Bool
    /// A JWKS file (RFC 7517) with an identity provider's EC P-256 public keys, for ES256 tokens.
    public var jwksPath: String?
    /// The `iss` that tokens signed with a JWKS key must carry; `nil` means ``issuer``.
    ///
    /// Each key source has its own issuer, so that whoever can read the development key on this machine can't
    /// mint tokens that pass as the identity provider's, and the reverse.
    public var jwksIssuer: String?
    /// Longer tokens are refused before any parsing.
    public var maximumTokenLength: Int

    public init(
        dataDirectory: String,
        issuer: String = "earpiece",
        audience: String = "earpiece-gateway",
        clockSkew: Duration = .seconds(30),
        acceptsDevelopmentKey: Bool = true,
        jwksPath: String? = nil,
        jwksIssuer: String? = nil,
        maximumTokenLength: Int = 8 * 1024
    ) {
        self.dataDirectory = dataDirectory
        self.issuer = issuer
        self.audience = audience
        self.clockSkew = clockSkew
        self.acceptsDevelopmentKey = acceptsDevelopmentKey
        self.jwksPath = jwksPath
        self.jwksIssuer = jwksIssuer
        self.maximumTokenLength = maximumTokenLength
    }

    /// The issuer that tokens from the JWKS keys must carry.
    var effectiveJWKSIssuer: String { jwksIssuer ?? issuer }

    func validate() throws(AuthError) {
        guard acceptsDevelopmentKey || jwksPath != nil else {
            throw .configuration("no key source: accept the development key or give a JWKS file")
        }
        guard !issuer.isEmpty, !effectiveJWKSIssuer.isEmpty else {
            throw .configuration("the issuer must not be empty")
        }
        guard !audience.isEmpty else {
            throw .configuration("the audience must not be empty")
        }
        guard clockSkew >= .zero, clockSkew <= .seconds(600) else {
            throw .configuration("the clock skew must be between 0 and 600 seconds")
        }
        guard maximumTokenLength >= 256 else {
            throw .configuration("the maximum token length must be at least 256 bytes")
        }
        guard !dataDirectory.isEmpty || !acceptsDevelopmentKey else {
            throw .configuration("the data directory must not be empty")
        }
    }
}
