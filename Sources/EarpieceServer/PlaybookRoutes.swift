import Crypto
import EarpieceAuth
import EarpieceGuidance
import EarpieceStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `/v1/admin/playbook`: the tenant's playbook, read, replaced and reset to the default (admin only).
///
/// A change leaves in the request's `AuditNote` the revision, source and SHA-256 of the playbook before and
/// after, and which intents changed: never its hint texts or phrases.
struct PlaybookRoutes: Sendable {
    let catalog: PlaybookCatalog

    func register(on group: RouterGroup<EarpieceRequestContext>) {
        group.get("admin/playbook") { _, context in
            let scope = try Self.requireAdmin(context, doing: "reading the playbook")
            let (record, playbook) = try await catalog.setting(for: scope)
            return try JSONResponse.make(PlaybookBody(record: record, playbook: playbook))
        }
        group.put("admin/playbook") { request, context in
            try await replace(request, context)
        }
        group.delete("admin/playbook") { _, context in
            try await reset(context)
        }
    }

    private func replace(_ request: Request, _ context: EarpieceRequestContext) async throws -> Response {
        let scope = try Self.requireAdmin(context, doing: "changing the playbook")
        let principal = try Self.principal(context)
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: JSONRequestBody.maxBytes)
        } catch is NIOTooManyBytesError {
            throw PlaybookRefusal(path: nil, reason: "the body must be at most \(JSONRequestBody.maxBytes / 1024) KiB of JSON")
        }
        let playbook: Playbook
        do {
            playbook = try Playbook.parse(Data(buffer: buffer), isKnownWord: catalog.isKnownWord)
        } catch {
            throw PlaybookRefusal(path: error.path, reason: error.reason)
        }
        let json = String(decoding: playbook.canonicalJSON(), as: UTF8.self)
        let (previous, current) = try await catalog.store.setPlaybook(scope, json: json, updatedBy: principal.userID, at: Date())
        recordChange(context, from: previous, to: current, playbook)
        return try JSONResponse.make(PlaybookBody(record: current, playbook: playbook))
    }

    private func reset(_ context: EarpieceRequestContext) async throws -> Response {
        let scope = try Self.requireAdmin(context, doing: "resetting the playbook")
        let principal = try Self.principal(context)
        let (previous, current) = try await catalog.store.setPlaybook(scope, json: nil, updatedBy: principal.userID, at: Date())
        recordChange(context, from: previous, to: current, catalog.defaultPlaybook)
        return try JSONResponse.make(PlaybookBody(record: current, playbook: catalog.defaultPlaybook))
    }

    /// The audit note of a change, from the setting the store replaced (read in the same transaction as the write,
    /// so concurrent changes each record the one before them).
    /// Never throws: the change is already stored, so a previous playbook that no longer parses is recorded by the
    /// hash of its stored text, with every intent counted as changed.
    private func recordChange(
        _ context: EarpieceRequestContext, from previous: PlaybookRecord?, to current: PlaybookRecord, _ playbook: Playbook
    ) {
        let before = try? catalog.playbook(of: previous)
        context.audit.recordChange(
            before: PlaybookAudit(record: previous, playbook: before),
            after: PlaybookAudit(record: current, playbook: playbook, changedFrom: before))
    }

    private static func principal(_ context: EarpieceRequestContext) throws -> Principal {
        guard let principal = context.principal else { throw RequestRefusal.unauthorized("a bearer token is required") }
        return principal
    }

    /// The caller's tenant, if the caller is one of its admins; otherwise a 403 that says what needed the role.
    private static func requireAdmin(_ context: EarpieceRequestContext, doing what: String) throws -> TenantScope {
        let principal = try principal(context)
        guard principal.has(.admin) else { throw RequestRefusal.forbidden("\(what) needs the admin role") }
        return TenantScope(principal)
    }
}

/// A refused playbook: `{"error":"bad_request","path":"intents.next_step.title","reason":"is required"}`, the
/// refusal body of `ErrorBody` with the place in the document (`null` for the document as a whole).
struct PlaybookRefusal: HTTPResponseError {
    var path: String?
    var reason: String

    var status: HTTPResponse.Status { .badRequest }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        try JSONResponse.make(Body(error: "bad_request", path: path, reason: reason), status: status)
    }

    private struct Body: Encodable {
        var error: String
        var path: String?
        var reason: String

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(error, forKey: .error)
            try container.encode(path, forKey: .path)
            try container.encode(reason, forKey: .reason)
        }

        private enum CodingKeys: CodingKey { case error, path, reason }
    }
}

/// The answer of every playbook route: the effective playbook, where it comes from, and its revision.
struct PlaybookBody: Encodable {
    /// `tenant` for a playbook the tenant stored, `default` for the product's.
    var source: String
    /// The tenant's revision; 0 for a tenant that never set a playbook.
    var revision: Int
    var sha256: String
    var updatedAt: Date?
    var updatedBy: String?
    var playbook: Playbook

    init(record: PlaybookRecord?, playbook: Playbook) {
        source = record?.json == nil ? "default" : "tenant"
        revision = record?.revision ?? 0
        sha256 = playbook.sha256
        updatedAt = record?.updatedAt
        updatedBy = record?.updatedBy
        self.playbook = playbook
    }

    private enum CodingKeys: CodingKey {
        case source, revision, sha256, updatedAt, updatedBy, playbook
    }

    // Absent values are written as null, so every answer has the same keys.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(source, forKey: .source)
        try container.encode(revision, forKey: .revision)
        try container.encode(sha256, forKey: .sha256)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encode(updatedBy, forKey: .updatedBy)
        try container.encode(playbook, forKey: .playbook)
    }
}

/// A playbook as its audit event records it: which revision, from where, its hash, and (after a change) what
/// changed. Never a hint's words or a phrase, which the tenant may consider its own business.
private struct PlaybookAudit: Encodable {
    var source: String
    var revision: Int
    var sha256: String
    /// After a change: the intents whose play was added, removed or altered, in `Intent.allCases` order.
    var changedIntents: [String]?
    var competitorsChanged: Bool?
    var budgetChanged: Bool?

    /// The setting before a change; `playbook` is `nil` when its stored text could not be read.
    init(record: PlaybookRecord?, playbook: Playbook?) {
        source = record?.json == nil ? "default" : "tenant"
        revision = record?.revision ?? 0
        // The stored text is the canonical encoding, so its hash is the playbook's even when it cannot be read.
        sha256 = playbook?.sha256 ?? SHA256.hash(data: Data((record?.json ?? "").utf8)).hex
    }

    /// The setting after a change, and what changed since `previous` (all of it when that could not be read).
    init(record: PlaybookRecord, playbook: Playbook, changedFrom previous: Playbook?) {
        self.init(record: record, playbook: playbook)
        changedIntents = Intent.allCases.filter { previous == nil || previous?.intents[$0] != playbook.intents[$0] }
            .map(\.rawValue)
        competitorsChanged = previous?.competitors != playbook.competitors
        budgetChanged = previous?.budget != playbook.budget
    }
}

extension Playbook {
    /// The SHA-256 of the canonical encoding, in lowercase hex: the playbook's identity in answers and the audit log.
    var sha256: String { SHA256.hash(data: canonicalJSON()).hex }
}

extension SHA256.Digest {
    /// Lowercase hex, as answers and the audit log write a hash.
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}
