import EarpieceAuth
import EarpieceStore
import Foundation
import Hummingbird

/// `GET /v1/admin/jobs` and `POST /v1/admin/jobs/{id}/retry`: the tenant's background jobs (admin only), and a
/// second chance for a dead one. A retry is audited with the job's state before and after.
struct JobRoutes: Sendable {
    let store: any MetadataStore

    /// Bounds of `limit`, and its default.
    static let limits = 1...500, defaultLimit = 100

    func register(on group: RouterGroup<EarpieceRequestContext>) {
        group.get("admin/jobs") { request, context in
            try await list(request, context)
        }
        group.post("admin/jobs/:id/retry") { _, context in
            try await retry(context)
        }
    }

    private func list(_ request: Request, _ context: EarpieceRequestContext) async throws -> Response {
        let principal = try Self.admin(context, doing: "listing jobs")
        let query = request.uri.queryParameters
        var state: JobState?
        if let raw = query.get("state") {
            guard let value = JobState(rawValue: raw) else {
                throw RequestRefusal.badRequest(
                    "state must be one of \(JobState.allCases.map(\.rawValue).joined(separator: ", ")), not \"\(raw.prefix(32))\"")
            }
            state = value
        }
        var limit = Self.defaultLimit
        if let raw = query.get("limit") {
            guard let value = Int(raw), Self.limits.contains(value) else {
                throw RequestRefusal.badRequest("limit must be \(Self.limits.lowerBound) to \(Self.limits.upperBound)")
            }
            limit = value
        }
        let jobs = try await store.jobs(TenantScope(principal), state: state, limit: limit)
        return try JSONResponse.make(JobListBody(jobs: jobs.map(JobBody.init)))
    }

    private func retry(_ context: EarpieceRequestContext) async throws -> Response {
        let principal = try Self.admin(context, doing: "retrying a job")
        guard let id = context.parameters.get("id"), StreamRequest.isValidID(id) else {
            throw RequestRefusal(status: .notFound, error: "not_found", reason: "no such job")
        }
        let scope = TenantScope(principal)
        let before: JobRecord?
        let after: JobRecord
        do {
            before = try await store.job(scope, id: id)
            after = try await store.retry(scope, id: id, now: Date())
        } catch StoreError.jobNotFound {
            throw RequestRefusal(status: .notFound, error: "not_found", reason: "no job \(id)")
        } catch StoreError.jobNotDead {
            throw RequestRefusal(status: .conflict, error: "not_dead", reason: "job \(id) is not dead; only a dead job can be retried")
        }
        context.audit.recordChange(
            before: before.map { RetrySnapshot(dead: $0.state == .dead, attempts: $0.attempts) },
            after: RetrySnapshot(dead: after.state == .dead, attempts: after.attempts))
        return try JSONResponse.make(JobBody(after))
    }

    private static func admin(_ context: EarpieceRequestContext, doing what: String) throws -> Principal {
        guard let principal = context.principal else { throw RequestRefusal.unauthorized("a bearer token is required") }
        guard principal.has(.admin) else { throw RequestRefusal.forbidden("\(what) needs the admin role") }
        return principal
    }
}

/// What a retry's audit event records before and after: whether the job was dead, and its attempts.
private struct RetrySnapshot: Encodable {
    var dead: Bool
    var attempts: Int
}
