import EarpieceAuth
import EarpieceStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Appends one audit event per authenticated request to the caller's tenant's log: who, which route template,
/// the outcome, when and how long, the call acted on, and an admin change's before and after.
///
/// It runs after `AuthMiddleware`, so it sees the principal; refusals thrown by a route are recorded with their
/// status and rethrown. What it never records: IP addresses, bodies, query strings, names, tokens. An accepted
/// stream is left to `StreamRoute`, which records the call at its end with its close code.
struct AuditMiddleware: RouterMiddleware {
    typealias Context = EarpieceRequestContext
    let store: any MetadataStore
    let logger: Logger

    /// The template of the one route that audits itself once upgraded.
    static let streamRoute = "/v1/stream"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let principal = context.principal else { return try await next(request, context) }
        let occurredAt = Date()
        let started = ContinuousClock.now
        let route = context.endpointPath ?? "unknown"
        let target = Self.target(route: route, request, context)
        let status: HTTPResponse.Status
        let response: Response
        do {
            response = try await next(request, context)
            status = response.status
        } catch {
            let refused = (error as? any HTTPResponseError)?.status ?? .internalServerError
            await record(
                principal: principal, request: request, route: route, status: refused, occurredAt: occurredAt,
                started: started, target: target, note: context.audit.recorded)
            throw error
        }
        if !(route == Self.streamRoute && (status == .ok || status == .switchingProtocols)) {
            await record(
                principal: principal, request: request, route: route, status: status, occurredAt: occurredAt,
                started: started, target: target, note: context.audit.recorded)
        }
        return response
    }

    /// The call a request names: the `{id}` of its route, or the stream's `call_id` (a resume). Only a well-formed
    /// id is kept, so the log never holds whatever else a client put in a URL.
    static func target(route: String, _ request: Request, _ context: Context) -> String? {
        let id = route == streamRoute ? request.uri.queryParameters.get("call_id") : context.parameters.get("id")
        return id.flatMap { StreamRequest.isValidID($0) ? $0 : nil }
    }

    private func record(
        principal: Principal, request: Request, route: String, status: HTTPResponse.Status, occurredAt: Date,
        started: ContinuousClock.Instant, target: String?, note: AuditNote.Change
    ) async {
        let elapsed = ContinuousClock.now - started
        let event = AuditEvent(
            scope: TenantScope(principal), userID: principal.userID, method: request.method.rawValue, route: route,
            status: status.code, occurredAt: occurredAt,
            durationMs: Int(elapsed / .milliseconds(1)),
            target: target, before: note.before, after: note.after)
        let store = store
        // Its own task, so that a client hanging up (which cancels the request) still leaves its trace; and
        // awaited, so that an answered request is already in the log.
        let failure = await Task { () -> (any Error)? in
            do {
                try await store.appendAudit(event)
                return nil
            } catch {
                return error
            }
        }.value
        if let failure {
            logger.error("audit event not written", metadata: [
                "org": .string(principal.org), "user_id": .string(principal.userID), "route": .string(route),
                "status": .stringConvertible(status.code),
                "error.type": .string(String(describing: type(of: failure))),
            ])
        }
    }
}
