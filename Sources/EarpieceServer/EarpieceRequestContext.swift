import EarpieceAuth
import Hummingbird

/// The request context of every route: Hummingbird's core storage, the principal that `AuthMiddleware`
/// verified (nil on routes that need none), and the slot where a route accepts a WebSocket upgrade.
public struct EarpieceRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Who made the request, once the token is verified.
    public var principal: Principal?
    /// The subprotocol to echo when the client offered `earpiece.v1`.
    public var webSocketProtocol: String?
    /// Shared by every copy of this context, so that `UpgradingHTTPChannel` sees what the route accepted.
    let upgrade = WebSocketUpgrade()

    public init(source: Source) {
        coreContext = .init(source: source)
    }
}
