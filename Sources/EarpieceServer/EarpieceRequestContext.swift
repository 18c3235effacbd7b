import EarpieceAuth
import Hummingbird

/// The request context of every route: Hummingbird's core storage, the principal that `AuthMiddleware`
/// verified (nil on routes that need none), the slot where a route accepts a WebSocket upgrade, and the note
/// where a route leaves what `AuditMiddleware` should add to the request's audit event.
public struct EarpieceRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Who made the request, once the token is verified.
    public var principal: Principal?
    /// The subprotocol to echo when the client offered `earpiece.v1`.
    public var webSocketProtocol: String?
    /// Shared by every copy of this context, so that `UpgradingHTTPChannel` sees what the route accepted.
    let upgrade = WebSocketUpgrade()
    /// Shared by every copy of this context, so that `AuditMiddleware` sees the change a route recorded.
    let audit = AuditNote()

    public init(source: Source) {
        coreContext = .init(source: source)
    }
}
