import Crypto
import EarpieceAuth
import EarpieceCalls
import EarpieceGuidance
import EarpieceStore
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging

/// `GET /v1/stream`: checks the request before the upgrade, then runs a `CallSession` over the socket.
struct StreamRoute: Sendable {
    let admission: StreamAdmission
    let sessionConfiguration: CallSessionConfiguration
    let metrics: CallMetrics
    let storage: RecordingStorage
    let speech: SpeechResources
    let playbooks: PlaybookCatalog
    let logger: Logger

    func register(on group: RouterGroup<EarpieceRequestContext>) {
        group.get("stream") { request, context in
            try await accept(request, context)
        }
    }

    /// Everything that can be refused with an HTTP status is refused here, before the upgrade; a 200 tells
    /// `UpgradingHTTPChannel` to upgrade and run the call on the socket.
    private func accept(_ request: Request, _ context: EarpieceRequestContext) async throws -> Response {
        guard request.headers[.upgrade]?.lowercased() == "websocket" else {
            throw RequestRefusal(status: .upgradeRequired, error: "upgrade_required", reason: "/v1/stream is a WebSocket: send Upgrade: websocket")
        }
        guard let principal = context.principal else {
            throw RequestRefusal.unauthorized("a bearer token is required")
        }
        guard principal.has(.rep) else {
            throw RequestRefusal.forbidden("streaming needs the rep role")
        }
        let parameters = try StreamRequest(query: request.uri.queryParameters)
        let call = try await openCall(principal: principal, parameters: parameters)
        context.upgrade.accept { inbound, outbound in
            await stream(inbound: inbound, outbound: outbound, principal: principal, parameters: parameters, call: call)
        }
        var headers = HTTPFields()
        if let echoed = context.webSocketProtocol { headers[.secWebSocketProtocol] = echoed }
        return Response(status: .ok, headers: headers)
    }

    /// The call a stream records into: a new one, or, with `call_id` and `resume_token`, the one being resumed.
    struct OpenedCall: Sendable {
        var id: String
        var part: Int
        var resume: CallSession.Resume
    }

    /// Creates the call, or checks the resume: the call must be the tenant's, still open, streamed by the same
    /// user, and the token must match. Another tenant's call is "not found", like a call that never existed.
    private func openCall(principal: Principal, parameters: StreamRequest) async throws -> OpenedCall {
        let scope = TenantScope(principal)
        let store = storage.store
        guard let resumeToken = parameters.resumeToken, let callID = parameters.callID else {
            let token = RandomID.make(prefix: "rt")
            let id = parameters.callID ?? RandomID.make(prefix: "call")
            do {
                try await store.createCall(CallRecord(
                    scope: scope, id: id, repUserID: principal.userID, startedAt: Date(),
                    resumeTokenHash: Self.hash(token)))
            } catch StoreError.callExists {
                throw RequestRefusal(status: .conflict, error: "conflict", reason: "call \(id) exists; to resume it pass its resume_token")
            }
            return OpenedCall(id: id, part: 0, resume: .init(token: token, resumedAfter: nil))
        }
        guard let call = try await store.call(scope, id: callID), call.repUserID == principal.userID,
              call.resumeTokenHash == Self.hash(resumeToken)
        else {
            throw RequestRefusal(status: .notFound, error: "not_found", reason: "no call \(callID) to resume with this token")
        }
        guard call.status == .open else {
            throw RequestRefusal(status: .conflict, error: "conflict", reason: "call \(callID) has ended")
        }
        let parts = try await store.recordings(scope, callID: callID)
        let resumedAfter = parts.compactMap(\.ackedSeq).max().map { UInt64(truncatingIfNeeded: $0) }
        return OpenedCall(
            id: callID, part: (parts.map(\.part).max() ?? -1) + 1,
            resume: .init(token: resumeToken, resumedAfter: resumedAfter, audioOffsetMs: parts.reduce(0) { $0 + $1.durationMs }))
    }

    static func hash(_ token: String) -> Data { Data(SHA256.hash(data: Data(token.utf8))) }

    private func stream(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, principal: Principal, parameters: StreamRequest, call: OpenedCall) async {
        let ticket: StreamAdmission.Ticket
        switch admission.admit(org: principal.org) {
        case .success(let admitted):
            ticket = admitted
        case .failure(let refusal):
            let error = ServerMessage.error(.init(code: CloseCode.overCapacity.errorCode, message: refusal.reason, retryAfterMs: 5_000))
            try? await outbound.write(.text(error.json()))
            try? await outbound.close(.init(codeNumber: Int(CloseCode.overCapacity.rawValue)), reason: "over capacity")
            return
        }
        var sessionLogger = logger
        sessionLogger[metadataKey: "org"] = .string(principal.org)
        sessionLogger[metadataKey: "user_id"] = .string(principal.userID)
        let recorder = CallRecorder(
            storage: storage, scope: TenantScope(principal), callID: call.id, part: call.part, logger: sessionLogger)
        var configuration = sessionConfiguration
        configuration.sendsTranscripts = principal.has(.transcriptRead)
        let session = CallSession(
            callID: call.id, sessionID: RandomID.make(prefix: "sess"),
            channels: parameters.channels, container: parameters.container,
            configuration: configuration, metrics: metrics, recorder: recorder, resume: call.resume,
            speech: await admitSpeech(principal: principal, channels: parameters.channels, logger: sessionLogger),
            logger: sessionLogger)
        admission.register(session)
        defer { admission.release(ticket, session: session) }
        // A token that expires mid-call ends the stream; the client reconnects with a fresh one and the call_id.
        let expiry = Task {
            let remaining = principal.expiresAt.timeIntervalSinceNow
            if remaining > 0 { try await Task.sleep(for: .milliseconds(Int64(remaining * 1000))) }
            session.stop(CallEnd(.unauthorized, "token expired; reconnect with a fresh token and the call_id"))
        }
        defer { expiry.cancel() }
        let input = WebSocketCallInput(inbound: inbound, maxMessageBytes: sessionConfiguration.maxMessageBytes)
        let (openedAt, started) = (Date(), ContinuousClock.now)
        let end = await session.run(input: input) { message in
            try? await outbound.write(.text(message.json()))
        }
        try? await outbound.close(.init(codeNumber: Int(end.code.rawValue)), reason: Self.closeReason(end.reason))
        await audit(principal: principal, callID: call.id, closeCode: end.code, openedAt: openedAt, started: started)
    }

    /// The richest guidance tier the box has room for, with the tenant's playbook (`docs/guidance.md`).
    private func admitSpeech(principal: Principal, channels: Int, logger: Logger) async -> SpeechLease {
        let playbook: Playbook
        do {
            playbook = try await playbooks.playbook(for: TenantScope(principal))
        } catch {
            // A stored playbook today's dictionary refuses, or a store error: the call still gets guidance.
            logger.error("tenant playbook unusable; using the default", metadata: ["reason": .string("\(error)")])
            playbook = playbooks.defaultPlaybook
        }
        var problems: [RecognizerError] = []
        let lease = speech.lease(channelCount: channels, playbook: playbook, problems: &problems)
        for problem in problems {
            logger.warning("guidance tier unavailable", metadata: ["reason": .string(problem.description)])
        }
        return lease
    }

    /// One audit event per stream, written when it ends: the close code is its status, its length the duration.
    private func audit(principal: Principal, callID: String, closeCode: CloseCode, openedAt: Date, started: ContinuousClock.Instant) async {
        let elapsed = ContinuousClock.now - started
        let event = AuditEvent(
            scope: TenantScope(principal), userID: principal.userID, method: "STREAM", route: "/v1/stream",
            status: Int(closeCode.rawValue), occurredAt: openedAt,
            durationMs: Int(elapsed / .milliseconds(1)),
            target: callID)
        do { try await storage.store.appendAudit(event) } catch {
            logger.error("audit write failed", metadata: ["call_id": .string(callID), "reason": .string("\(error)")])
        }
    }

    /// A close frame's reason must fit in 123 bytes of UTF-8.
    static func closeReason(_ reason: String) -> String {
        var out = ""
        for character in reason {
            guard out.utf8.count + character.utf8.count <= 123 else { break }
            out.append(character)
        }
        return out
    }
}
