import EarpieceCalls
import EarpieceServer
import EarpieceStore
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The post-call summary end to end: a call streamed through the gateway ends, its summary job is queued in the
/// same transaction, a worker (in the server, or `earpiece worker` in its own process) summarises the
/// recording, and `GET /v1/calls/{id}/summary` serves it.
extension ProcessHeavyTests {
@Suite(.serialized)
struct SummaryJobTests {
    /// What the tests read of a summary.
    struct SummaryJSON: Decodable {
        struct Figures: Decodable {
            var speaker: String
            var talk_share: Double
        }
        struct Found: Decodable {
            var kind: String
            var at_ms: Int
            var speaker: String
        }
        var version: Int
        var speakers: [Figures]
        var intents: [Found]
        var hints: [Hint]
        struct Hint: Decodable {
            var kind: String
        }
    }

    struct Timeline: Decodable {
        struct Line: Decodable {
            var speaker: String
            var start_s: Double
            var end_s: Double
            var intent: String?
        }
        var utterances: [Line]
    }

    static func timeline(_ call: String) throws -> Timeline {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let data = try Data(contentsOf: root.appendingPathComponent("Fixtures/calls/\(call).json"))
        return try JSONDecoder().decode(Timeline.self, from: data)
    }

    @Test func aStreamedCallsSummaryArrivesWithTheTimelinesTalkSharesAndIntents() async throws {
        try await Harness.withGateway(configure: { $0.summaryWorker = true }) { gateway in
            let rep = try await gateway.token()
            let frames = try StreamClient.messages(for: try StreamClient.fixture("pricing-call.opus"), sending: .rawFrames)
            let stream = try await StreamClient.stream(gateway, token: rep, query: "channels=2&container=raw", messages: frames)
            #expect(stream.closeCode == 1000)
            let closed = try #require(stream.of("closed").first)
            let callID = try #require(closed.call_id)
            #expect(closed.summary_job_id != nil, "closed names the summary job")

            let reply = try await Self.waitForSummary(gateway, callID: callID, token: rep)
            let summary = try reply.json(SummaryJSON.self)
            #expect(summary.version == 1)
            // The dynamics hints this (dynamics-tier) stream showed are in the summary.
            #expect(summary.hints.count == stream.of("hint").count)

            let timeline = try Self.timeline("pricing-call")
            var talk: [String: Double] = [:]
            for line in timeline.utterances { talk[line.speaker, default: 0] += line.end_s - line.start_s }
            let total = talk.values.reduce(0, +)
            for figures in summary.speakers {
                let expected = 100 * (talk[figures.speaker] ?? 0) / total
                #expect(abs(figures.talk_share - expected) <= 5, "\(figures.speaker): \(figures.talk_share) % against \(expected) %")
            }
            // Every intent of the fixture is found, by kind, within its line (from 0.5 s before it to 2.5 s after).
            var unmatched = summary.intents
            var missed: [String] = []
            for line in timeline.utterances {
                guard let intent = line.intent else { continue }
                // at_ms is where the recognizer heard the phrase begin, which may be a little before the script's line.
                let start = Int(line.start_s * 1000) - 500, end = Int(line.end_s * 1000) + 2_500
                if let index = unmatched.firstIndex(where: { $0.kind == intent && (start...end).contains($0.at_ms) }) {
                    unmatched.remove(at: index)
                } else {
                    missed.append("\(intent) at \(line.start_s) s")
                }
            }
            #expect(missed.isEmpty, "missed: \(missed); found: \(summary.intents.map { "\($0.kind)@\($0.at_ms)" })")
        }
    }

    @Test func aPendingSummaryIsA202AndADeadJobComesBackWithAnAdminRetry() async throws {
        try await Harness.withGateway { gateway in
            let rep = try await gateway.token()
            let admin = try await gateway.token(roles: ["admin"], user: "admin-1")
            let call = try await gateway.streamCall(token: rep)

            // No worker runs: the job waits, and the summary says so.
            let pending = try await REST.get(gateway, "/v1/calls/\(call.id)/summary", token: rep)
            #expect(pending.status == 202)
            let body = try pending.json(Pending.self)
            #expect(body.job.state == "queued")
            #expect(body.call_id == call.id)

            #expect(try await REST.get(gateway, "/v1/admin/jobs", token: rep).status == 403)
            #expect(try await REST.get(gateway, "/v1/admin/jobs?state=sleeping", token: admin).status == 400)
            let queued = try await REST.get(gateway, "/v1/admin/jobs?state=queued", token: admin).json(Jobs.self)
            #expect(queued.jobs.map(\.id) == [body.job.id])
            #expect(try await REST.send(gateway, "POST", "/v1/admin/jobs/\(body.job.id)/retry", token: admin).status == 409)

            // A poison job: its attempt fails in a way retrying cannot fix, so it is dead at once.
            let store = try SQLiteMetadataStore(dataDirectory: URL(fileURLWithPath: gateway.dataDirectory))
            let lease = try #require(try await store.lease(kind: .summary, leaseDuration: 60, now: Date()))
            try await store.fail(lease, .permanent("recording_damaged"), now: Date(), policy: .standard)
            let failed = try await REST.get(gateway, "/v1/calls/\(call.id)/summary", token: rep)
            #expect(failed.status == 409)
            #expect(failed.refusal?.error == "summary_failed")
            let dead = try await REST.get(gateway, "/v1/admin/jobs?state=dead", token: admin).json(Jobs.self)
            #expect(dead.jobs.first?.last_error == "recording_damaged")

            let retried = try await REST.send(gateway, "POST", "/v1/admin/jobs/\(body.job.id)/retry", token: admin)
            #expect(retried.status == 200)
            #expect(try retried.json(Job.self).state == "queued")
            #expect(try await REST.get(gateway, "/v1/calls/\(call.id)/summary", token: rep).status == 202)
            #expect(try await REST.send(gateway, "POST", "/v1/admin/jobs/no-such-job/retry", token: admin).status == 404)

            let events = try await gateway.auditLog()
            let retry = events.first { $0.method == "POST" && $0.route.contains("retry") && $0.status == 200 }
            #expect(retry?.before?["dead"] == .bool(true))
            #expect(retry?.after?["dead"] == .bool(false))
        }
    }

    @Test func aWorkerKilledMidJobLosesItAndAnotherCompletesItWritingTheSummaryOnce() async throws {
        try await Harness.withGateway { gateway in
            let rep = try await gateway.token()
            let frames = try StreamClient.messages(for: try StreamClient.fixture("mono-checkin-call.opus"), sending: .rawFrames)
            let stream = try await StreamClient.stream(gateway, token: rep, query: "channels=1&container=raw", messages: frames)
            let callID = try #require(stream.of("closed").first?.call_id)
            let store = try SQLiteMetadataStore(dataDirectory: URL(fileURLWithPath: gateway.dataDirectory))
            let scope = TenantScope.operatorScope(org: "acme-corp", env: .dev)
            let jobID = try #require(try await store.jobForCall(scope, callID: callID, kind: .summary)?.id)

            // `earpiece worker` leases the job with a 2 s lease (kept alive by heartbeats) and is killed mid-job.
            let worker = Process()
            worker.executableURL = ChildServer.executable
            worker.arguments = ["worker", "--data-dir", gateway.dataDirectory]
            var environment = ProcessInfo.processInfo.environment
            environment["EARPIECE_WORKER_LEASE_S"] = "2"
            worker.environment = environment
            worker.standardOutput = FileHandle.nullDevice
            worker.standardError = FileHandle.nullDevice
            try worker.run()
            var leased = false
            for _ in 0..<600 where !leased {
                try await Task.sleep(for: .milliseconds(100))
                leased = try await store.job(scope, id: jobID)?.state == .leased
            }
            #expect(leased, "the worker process leased the job")
            try await Task.sleep(for: .milliseconds(500))
            kill(worker.processIdentifier, SIGKILL)
            worker.waitUntilExit()
            #expect(try await store.job(scope, id: jobID)?.state == .leased, "killed mid-job: the job was not finished")
            #expect(try await store.summary(scope, callID: callID) == nil)

            // Another worker rescues it once the lease has expired, and completes it.
            var settings = gateway.configuration
            settings.workerLeaseSeconds = 30
            let rescuer = try await Gateway.standaloneSummaryWorker(configuration: settings, logger: Harness.logger)
            var outcome: SummaryWorker.Outcome?
            let deadline = Date().addingTimeInterval(300)
            while Date() < deadline {
                outcome = try await rescuer.runOnce()
                if outcome != nil { break }
                try await Task.sleep(for: .milliseconds(250))
            }
            #expect(outcome == .completed(jobID: jobID))
            let job = try #require(try await store.job(scope, id: jobID))
            #expect(job.state == .done)
            #expect(job.attempts == 2)
            #expect(job.lastError == "lease_expired")

            // Written once: one record and one sealed file, and writing again keeps the first.
            let record = try #require(try await store.summary(scope, callID: callID))
            #expect(try Self.summaryFiles(gateway, callID: callID) == [URL(fileURLWithPath: record.path).lastPathComponent])
            let again = try await SummaryArchive(storage: rescuer.storage).save(
                Array("{}".utf8), scope: scope, callID: callID, jobID: jobID, deleteAfter: Date(), now: Date())
            #expect(again.written == false)
            #expect(again.record == record)
            #expect(try Self.summaryFiles(gateway, callID: callID).count == 1)
            #expect(try await REST.get(gateway, "/v1/calls/\(callID)/summary", token: rep).status == 200)
        }
    }

    static func summaryFiles(_ gateway: RunningGateway, callID: String) throws -> [String] {
        let folder = gateway.dataDirectory + "/blobs/acme-corp/dev/\(callID)"
        return try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("summary-") }.sorted()
    }

    static func waitForSummary(_ gateway: RunningGateway, callID: String, token: String) async throws -> REST.Reply {
        let deadline = Date().addingTimeInterval(300)
        while Date() < deadline {
            let reply = try await REST.get(gateway, "/v1/calls/\(callID)/summary", token: token)
            if reply.status == 200 { return reply }
            guard reply.status == 202 else { throw TestError("summary: \(reply.status) \(reply.text)") }
            try await Task.sleep(for: .milliseconds(500))
        }
        throw TestError("no summary within 300 s")
    }

    struct Job: Decodable {
        var id: String
        var state: String
        var last_error: String?
    }

    struct Jobs: Decodable {
        var jobs: [Job]
    }

    struct Pending: Decodable {
        var call_id: String
        var job: Job
    }
}
}
