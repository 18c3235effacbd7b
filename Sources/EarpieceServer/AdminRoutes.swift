import EarpieceAuth
import EarpieceStore
import Foundation
import Hummingbird

/// `/v1/admin/…`: the tenant's retention policy and legal holds (admin), and its audit log (admin or auditor).
///
/// Every change records its value before and after in the request's `AuditNote`, which `AuditMiddleware` writes
/// into the request's audit event.
struct AdminRoutes: Sendable {
    let store: any MetadataStore

    /// Bounds of `limit` on the audit log, and its default.
    static let auditLimits = 1...500, defaultAuditLimit = 100

    func register(on group: RouterGroup<EarpieceRequestContext>) {
        group.get("admin/retention") { _, context in
            let principal = try Self.require(.admin, context, doing: "reading the retention policy")
            return try JSONResponse.make(try await store.retentionPolicy(TenantScope(principal)))
        }
        group.put("admin/retention") { request, context in
            try await setRetention(request, context)
        }
        group.put("admin/calls/:id/legal-hold") { request, context in
            try await setLegalHold(request, context)
        }
        group.get("admin/audit") { request, context in
            try await auditLog(request, context)
        }
    }

    // MARK: Routes

    private func setRetention(_ request: Request, _ context: EarpieceRequestContext) async throws -> Response {
        let principal = try Self.require(.admin, context, doing: "setting the retention policy")
        let body = try await JSONRequestBody.decode(RetentionBody.self, from: request)
        let policy: RetentionPolicy
        do {
            policy = try RetentionPolicy(
                audioDays: try Self.days(body.audioDays, "audio_days"), derivedDays: try Self.days(body.derivedDays, "derived_days"))
        } catch {
            throw RequestRefusal.badRequest(error.description)
        }
        let previous = try await store.setRetentionPolicy(TenantScope(principal), policy, now: Date())
        context.audit.recordChange(before: previous, after: policy)
        return try JSONResponse.make(policy)
    }

    private func setLegalHold(_ request: Request, _ context: EarpieceRequestContext) async throws -> Response {
        let principal = try Self.require(.admin, context, doing: "setting a legal hold")
        let body = try await JSONRequestBody.decode(LegalHoldBody.self, from: request)
        guard let id = context.parameters.get("id"), StreamRequest.isValidID(id) else {
            throw RequestRefusal(status: .notFound, error: "not_found", reason: "no such call")
        }
        let previous: Bool
        do {
            previous = try await store.setLegalHold(TenantScope(principal), callID: id, body.hold)
        } catch StoreError.callNotFound {
            throw RequestRefusal(status: .notFound, error: "not_found", reason: "no call \(id)")
        }
        context.audit.recordChange(before: LegalHoldState(legalHold: previous), after: LegalHoldState(legalHold: body.hold))
        return try JSONResponse.make(LegalHoldState(callID: id, legalHold: body.hold))
    }

    private func auditLog(_ request: Request, _ context: EarpieceRequestContext) async throws -> Response {
        guard let principal = context.principal else { throw RequestRefusal.unauthorized("a bearer token is required") }
        guard principal.has(.admin) || principal.has(.auditor) else {
            throw RequestRefusal.forbidden("reading the audit log needs the admin or auditor role")
        }
        let query = try AuditQuery(request.uri.queryParameters)
        let events: [AuditEvent]
        do {
            events = try await store.auditEvents(
                TenantScope(principal), from: query.from, to: query.to, after: query.after, limit: query.limit)
        } catch StoreError.invalidValue(let reason) {
            // An `after` that names no event of this tenant (another tenant's looks the same).
            throw RequestRefusal.badRequest(reason)
        }
        return try JSONResponse.make(AuditLogBody(events: events, limit: query.limit))
    }

    /// A JSON number as whole days. Numbers are read as `Double` because the JSON decoder gives no field name
    /// when `30.5` is read as an `Int`; anything fractional or too large for an `Int` is refused here, and the
    /// policy checks the range.
    private static func days(_ value: Double, _ name: String) throws(StoreError) -> Int {
        guard value.rounded(.towardZero) == value else { throw .invalidValue("\(name) must be a whole number of days") }
        guard let days = Int(exactly: value) else {
            throw .invalidValue("\(name) must be \(RetentionPolicy.allowedDays.lowerBound)…\(RetentionPolicy.allowedDays.upperBound)")
        }
        return days
    }

    // MARK: Roles

    /// The principal, if it holds `role`; otherwise a 403 that says what needed it.
    private static func require(_ role: Role, _ context: EarpieceRequestContext, doing what: String) throws -> Principal {
        guard let principal = context.principal else { throw RequestRefusal.unauthorized("a bearer token is required") }
        guard principal.has(role) else { throw RequestRefusal.forbidden("\(what) needs the \(role) role") }
        return principal
    }
}

/// The body of `PUT /v1/admin/retention`; both fields are required.
private struct RetentionBody: Decodable {
    var audioDays: Double
    var derivedDays: Double
}

/// The body of `PUT /v1/admin/calls/{id}/legal-hold`.
private struct LegalHoldBody: Decodable {
    var hold: Bool
}

/// A call's legal hold as the API answers it, and as its audit note records it (without the id, which is the
/// event's target).
private struct LegalHoldState: Encodable {
    var callID: String?
    var legalHold: Bool
}
