import EarpieceAuth
import EarpieceCalls
import EarpieceStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// `GET /v1/calls`, `GET /v1/calls/{id}`, `GET /v1/calls/{id}/recording` and `GET /v1/calls/{id}/summary`: a
/// tenant's calls, their audio and their summaries.
///
/// An admin sees every call of the tenant; a rep sees the calls they streamed. A call the caller may not see is
/// answered exactly like one that does not exist (404), whether it is another rep's or another tenant's.
struct CallRoutes: Sendable {
    let storage: RecordingStorage
    let logger: Logger

    /// Bounds of `limit` on the list, and its default.
    static let limits = 1...200, defaultLimit = 50
    /// How many calls a rep's listing reads per query, and how many queries it makes before answering with a
    /// cursor: the store pages the whole tenant, so a rep's page is filtered out of it.
    static let scanBatch = 200, maxScanBatches = 10

    func register(on group: RouterGroup<EarpieceRequestContext>) {
        group.get("calls") { request, context in
            try await list(request, context)
        }
        group.get("calls/:id") { _, context in
            try await call(context)
        }
        group.get("calls/:id/recording") { _, context in
            try await recording(context)
        }
        group.get("calls/:id/summary") { _, context in
            try await summary(context)
        }
    }

    // MARK: Routes

    private func list(_ request: Request, _ context: EarpieceRequestContext) async throws -> Response {
        let principal = try Self.reader(context)
        let query = request.uri.queryParameters
        var limit = Self.defaultLimit
        if let raw = query.get("limit") {
            guard let value = Int(raw), Self.limits.contains(value) else {
                throw RequestRefusal.badRequest("limit must be \(Self.limits.lowerBound) to \(Self.limits.upperBound)")
            }
            limit = value
        }
        var before: Date?
        if let raw = query.get("before") {
            guard let date = RFC3339.date(raw) else {
                throw RequestRefusal.badRequest("before must be an RFC 3339 time, like 2025-03-01T09:30:00Z")
            }
            before = date
        }
        let scope = TenantScope(principal)
        let page = try await visibleCalls(principal, before: before, limit: limit)
        var calls: [CallBody] = []
        for call in page.calls {
            calls.append(CallBody(call, parts: try await storage.store.recordings(scope, callID: call.id)))
        }
        return try JSONResponse.make(CallListBody(calls: calls, nextBefore: page.nextBefore))
    }

    private func call(_ context: EarpieceRequestContext) async throws -> Response {
        let principal = try Self.reader(context)
        let call = try await visibleCall(context.parameters.get("id"), principal)
        let parts = try await storage.store.recordings(TenantScope(principal), callID: call.id)
        return try JSONResponse.make(CallBody(call, parts: parts))
    }

    private func recording(_ context: EarpieceRequestContext) async throws -> Response {
        let principal = try Self.reader(context)
        let scope = TenantScope(principal)
        let call = try await visibleCall(context.parameters.get("id"), principal)
        let parts = try await storage.store.recordings(scope, callID: call.id)
        // The archive would find both of these too, but only once the 200 is on its way.
        if parts.contains(where: { $0.status == .shredded }) {
            throw RequestRefusal(
                status: .gone, error: "gone", reason: "the recording of \(call.id) was deleted under the retention policy")
        }
        guard parts.contains(where: { $0.status != .open || $0.packets > 0 }) else {
            throw RequestRefusal(status: .notFound, error: "not_found", reason: "call \(call.id) has no recorded audio")
        }
        let archive = RecordingArchive(storage: storage)
        let callID = call.id, logger = logger
        let body = ResponseBody { writer in
            let relay = ChunkRelay()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        try await archive.export(scope, callID: callID) { try await relay.send($0) }
                        await relay.finish(.success(()))
                    } catch {
                        // A client that hung up shows up here as a cancellation: nothing to report.
                        if !(error is CancellationError) {
                            logger.error("recording export failed", metadata: [
                                "org": .string(scope.org), "call_id": .string(callID),
                                "error": .string(String(describing: error)),
                            ])
                        }
                        await relay.finish(.failure(error))
                    }
                }
                do {
                    while let chunk = try await relay.receive() {
                        try await writer.write(ByteBuffer(bytes: chunk))
                    }
                    try await writer.finish(nil)
                } catch {
                    // The status is sent; all that is left is to cut the body short, which the client sees.
                    await relay.abandon()
                    throw error
                }
            }
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: "audio/ogg", .cacheControl: "no-store",
                .contentDisposition: "attachment; filename=\"\(callID).ogg\"",
            ],
            body: body)
    }

    /// 200 with the summary once it is written; 202 with its job while queued or running; 404 before the call
    /// has ended; 409 when the job is dead (an admin can retry it); 410 once retention deleted it.
    private func summary(_ context: EarpieceRequestContext) async throws -> Response {
        let principal = try Self.reader(context)
        let scope = TenantScope(principal)
        let call = try await visibleCall(context.parameters.get("id"), principal)
        if let json = try await SummaryArchive(storage: storage).read(scope, callID: call.id) {
            return Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: json)))
        }
        guard let job = try await storage.store.jobForCall(scope, callID: call.id, kind: .summary) else {
            throw RequestRefusal(
                status: .notFound, error: "not_found", reason: "call \(call.id) has not ended; its summary is queued when it ends")
        }
        switch job.state {
        case .queued, .leased:
            return try JSONResponse.make(PendingSummaryBody(callID: call.id, job: JobBody(job)), status: .accepted)
        case .dead:
            throw RequestRefusal(
                status: .conflict, error: "summary_failed",
                reason: "the summary job \(job.id) gave up (\(job.lastError ?? "unknown")); an admin can retry it with POST /v1/admin/jobs/\(job.id)/retry")
        case .done:
            throw RequestRefusal(
                status: .gone, error: "gone", reason: "the summary of \(call.id) was deleted under the retention policy")
        }
    }

    // MARK: Visibility

    /// The principal, if its roles let it read calls at all.
    private static func reader(_ context: EarpieceRequestContext) throws -> Principal {
        guard let principal = context.principal else { throw RequestRefusal.unauthorized("a bearer token is required") }
        guard principal.has(.rep) || principal.has(.admin) else {
            throw RequestRefusal.forbidden("reading calls needs the rep or admin role")
        }
        return principal
    }

    /// The call with `id` if the principal may see it; otherwise the same 404 as for a call that never was.
    private func visibleCall(_ id: String?, _ principal: Principal) async throws -> CallRecord {
        guard let id, StreamRequest.isValidID(id) else {
            throw RequestRefusal(status: .notFound, error: "not_found", reason: "no such call")
        }
        guard let call = try await storage.store.call(TenantScope(principal), id: id),
              principal.has(.admin) || call.repUserID == principal.userID
        else {
            throw RequestRefusal(status: .notFound, error: "not_found", reason: "no call \(id)")
        }
        return call
    }

    /// A page of the calls the principal may see, newest first, and where the next page starts (`nil` at the end).
    private func visibleCalls(_ principal: Principal, before: Date?, limit: Int) async throws
        -> (calls: [CallRecord], nextBefore: Date?)
    {
        let scope = TenantScope(principal)
        if principal.has(.admin) {
            let page = try await storage.store.calls(scope, startedBefore: before, limit: limit)
            return (page, page.count == limit ? page.last?.startedAt : nil)
        }
        var found: [CallRecord] = []
        var cursor = before
        for _ in 0..<Self.maxScanBatches {
            let batch = try await storage.store.calls(scope, startedBefore: cursor, limit: Self.scanBatch)
            for call in batch {
                cursor = call.startedAt
                guard call.repUserID == principal.userID else { continue }
                found.append(call)
                if found.count == limit { return (found, call.startedAt) }
            }
            if batch.count < Self.scanBatch { return (found, nil) }
        }
        // A rep with few calls in a busy tenant: answer what was found and let the client go on from here.
        return (found, cursor)
    }
}
