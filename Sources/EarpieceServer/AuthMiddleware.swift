import EarpieceAuth
import Foundation
import Hummingbird

/// Verifies the request's JWT and puts its principal in the context; refuses with 401 before any route runs.
///
/// The token comes from `Authorization: Bearer …` or, for browsers opening a WebSocket, from the
/// `Sec-WebSocket-Protocol` list (`earpiece.v1, bearer.<token>`); see `docs/protocol.md`.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = EarpieceRequestContext
    let verifier: TokenVerifier

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let token: String
        if let bearer = TokenExtraction.bearer(fromAuthorization: request.headers[.authorization]) {
            token = bearer
            // A browser that offered our subprotocol fails the handshake unless it is echoed.
            if Self.offers(TokenExtraction.webSocketProtocol, in: request.headers[.secWebSocketProtocol]) {
                context.webSocketProtocol = TokenExtraction.webSocketProtocol
            }
        } else if let fromProtocol = TokenExtraction.fromWebSocketProtocols(request.headers[.secWebSocketProtocol]) {
            token = fromProtocol.token
            context.webSocketProtocol = fromProtocol.protocolToEcho
        } else {
            throw RequestRefusal.unauthorized("a bearer token is required (Authorization header or Sec-WebSocket-Protocol)")
        }
        do {
            context.principal = try await verifier.verify(token)
        } catch {
            throw RequestRefusal.unauthorized(error.description)
        }
        return try await next(request, context)
    }

    static func offers(_ name: String, in header: String?) -> Bool {
        header?.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == name } ?? false
    }
}
