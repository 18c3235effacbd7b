import EarpieceAudio
import EarpieceGuidance
import EarpieceStore
import Foundation
import Logging
import Synchronization

/// What a summary needs besides the recording: transcript decoders of its own, the intent model, and the
/// tenant's playbook (for the intents' thresholds and the competitor names).
public struct SummaryModels: Sendable {
    public var pool: RecognizerPool
    public var intentModel: IntentModel
    public var playbook: @Sendable (TenantScope) async throws -> Playbook?

    public init(pool: RecognizerPool, intentModel: IntentModel, playbook: @escaping @Sendable (TenantScope) async throws -> Playbook?) {
        self.pool = pool
        self.intentModel = intentModel
        self.playbook = playbook
    }
}

/// How the summary worker leases, keeps and retries jobs.
public struct SummaryWorkerConfiguration: Sendable {
    /// How long a lease lasts without a heartbeat: a worker that dies loses its job after at most this long.
    public var leaseDuration: TimeInterval
    /// How often a running job's lease is extended (a third of the lease by default).
    public var heartbeatInterval: TimeInterval
    /// How long the worker sleeps when no job is due.
    public var idlePoll: Duration
    /// How often expired leases are returned to the queue.
    public var rescueInterval: TimeInterval
    public var retry: JobRetryPolicy

    public init(
        leaseDuration: TimeInterval = 120, heartbeatInterval: TimeInterval? = nil, idlePoll: Duration = .seconds(2),
        rescueInterval: TimeInterval = 30, retry: JobRetryPolicy = .standard
    ) {
        self.leaseDuration = leaseDuration
        self.heartbeatInterval = heartbeatInterval ?? max(leaseDuration / 3, 0.1)
        self.idlePoll = idlePoll
        self.rescueInterval = rescueInterval
        self.retry = retry
    }
}

/// Runs summary jobs (`docs/jobs.md`, `docs/summary.md`): leases one, keeps the lease alive with heartbeats,
/// decrypts the recording, analyses it on a low-priority thread, seals the summary and completes the job, or
/// records why it failed. Runs in the server by default and as `earpiece worker` on the same data directory.
public final class SummaryWorker: Sendable {
    public let storage: RecordingStorage
    public let models: SummaryModels
    public let configuration: SummaryWorkerConfiguration
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let lastRescue = Mutex<Date?>(nil)

    /// What one job came to.
    public enum Outcome: Sendable, Equatable {
        case completed(jobID: String)
        /// The job failed and was queued again or, if `dead`, given up.
        case failed(jobID: String, code: String, dead: Bool)
        /// Another worker holds the job now; this one's work was dropped.
        case leaseLost(jobID: String)
    }

    public init(
        storage: RecordingStorage, models: SummaryModels, configuration: SummaryWorkerConfiguration = SummaryWorkerConfiguration(),
        logger: Logger, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.storage = storage
        self.models = models
        self.configuration = configuration
        self.logger = logger
        self.now = now
    }

    /// Works until cancelled: rescues expired leases now and then, runs each due job, sleeps when none is.
    public func run() async {
        logger.info("summary worker started")
        while !Task.isCancelled {
            do {
                if try await runOnce() == nil {
                    try await Task.sleep(for: configuration.idlePoll)
                }
            } catch is CancellationError {
                break
            } catch {
                logger.error("summary worker step failed", metadata: ["reason": .string("\(error)")])
                try? await Task.sleep(for: configuration.idlePoll)
            }
        }
        logger.info("summary worker stopped")
    }

    /// Rescues expired leases if it is time, then runs one due job; `nil` when none was due.
    @discardableResult
    public func runOnce() async throws -> Outcome? {
        let time = now()
        let due = lastRescue.withLock { last -> Bool in
            guard let previous = last, time.timeIntervalSince(previous) < configuration.rescueInterval else {
                last = time
                return true
            }
            return false
        }
        if due {
            let rescued = try await storage.store.rescueExpiredLeases(now: time, policy: configuration.retry)
            if rescued > 0 { logger.notice("expired job leases returned to the queue", metadata: ["jobs": "\(rescued)"]) }
        }
        guard let lease = try await storage.store.lease(kind: .summary, leaseDuration: configuration.leaseDuration, now: now()) else {
            return nil
        }
        return await process(lease)
    }

    private func process(_ lease: JobLease) async -> Outcome {
        var logger = logger
        logger[metadataKey: "job_id"] = .string(lease.jobID)
        logger[metadataKey: "call_id"] = .string(lease.callID)
        logger.info("summary job started", metadata: ["attempt": "\(lease.attempt)"])
        let stop = StopFlag()
        let heartbeat = Task { [storage, configuration, now] in
            while !Task.isCancelled {
                do { try await Task.sleep(for: .milliseconds(Int(configuration.heartbeatInterval * 1000))) } catch { return }
                do {
                    _ = try await storage.store.heartbeat(lease, extendBy: configuration.leaseDuration, now: now())
                } catch {
                    stop.set()
                    return
                }
            }
        }
        defer { heartbeat.cancel() }
        do {
            // A worker shutting down stops at the analysis' next page and leaves the job leased: its lease
            // expires and the rescuer queues it again.
            try await withTaskCancellationHandler {
                try await summarize(lease, stop: stop)
            } onCancel: {
                stop.set()
            }
            try await storage.store.complete(lease, now: now())
            logger.info("summary job completed")
            return .completed(jobID: lease.jobID)
        } catch let error as StoreError where Self.isLeaseLost(error) {
            logger.warning("summary job lease lost; another worker has it")
            return .leaseLost(jobID: lease.jobID)
        } catch is StopFlag.Stopped {
            logger.warning("summary job stopped: the lease was lost or the worker is shutting down")
            return .leaseLost(jobID: lease.jobID)
        } catch {
            let failure = Self.failure(for: error)
            logger.error("summary job failed", metadata: ["code": .string(failure.code), "reason": .string("\(error)")])
            do {
                let job = try await storage.store.fail(lease, failure, now: now(), policy: configuration.retry)
                return .failed(jobID: lease.jobID, code: failure.code, dead: job.state == .dead)
            } catch {
                return .leaseLost(jobID: lease.jobID)
            }
        }
    }

    private func summarize(_ lease: JobLease, stop: StopFlag) async throws {
        let scope = lease.scope
        guard let call = try await storage.store.call(scope, id: lease.callID) else { throw SummaryJobError.callMissing }
        let audio = try await RecordingArchive(storage: storage).exportBytes(scope, callID: lease.callID)
        let hints = try await storage.store.hints(scope, callID: lease.callID).compactMap { record -> SummaryHint? in
            guard let kind = HintKind(rawValue: record.kind) else { return nil }
            return SummaryHint(id: record.hintID, kind: kind, audioTimeMs: record.audioTimeMs,
                               feedback: record.feedback.flatMap(SummaryHint.Feedback.init(rawValue:)))
        }
        guard let playbook = try await models.playbook(scope) else { throw SummaryJobError.noPlaybook }
        let models = models
        let summary = try await LowPriorityThread.run {
            do {
                return try SummaryAnalyzer.analyze(
                    oggOpus: audio, pool: models.pool, intentModel: models.intentModel, playbook: playbook, hints: hints,
                    shouldStop: { stop.isSet })
            } catch SummaryError.stopped {
                throw StopFlag.Stopped()
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = [UInt8](try encoder.encode(summary))
        let policy = try await storage.store.retentionPolicy(scope)
        let ended = call.endedAt ?? now()
        let deleteAfter = ended.addingTimeInterval(TimeInterval(policy.derivedDays) * 86_400)
        if stop.isSet { throw StopFlag.Stopped() }
        let saved = try await SummaryArchive(storage: storage).save(
            json, scope: scope, callID: lease.callID, jobID: lease.jobID, deleteAfter: deleteAfter, now: now())
        if !saved.written { logger.notice("the call had a summary already; this one was dropped", metadata: ["job_id": .string(lease.jobID)]) }
    }

    private static func isLeaseLost(_ error: StoreError) -> Bool {
        if case .leaseLost = error { return true }
        return false
    }

    /// The failure code a job records for `error`, and whether another attempt could help.
    static func failure(for error: any Error) -> JobFailure {
        switch error {
        case let error as RecordingError:
            switch error {
            case .deleted: return .permanent("recording_deleted")
            case .notFound: return .permanent("no_recording")
            case .damaged: return .permanent("recording_damaged")
            case .keys: return .retryable("keys_unavailable")
            case .io: return .retryable("io_error")
            }
        case let error as SummaryError:
            if case .noDecoderAvailable = error { return .retryable("recognizer_busy") }
            if case .stopped = error { return .retryable("worker_stopped") }
            if case .audio = error { return .permanent("bad_audio") }
            return .retryable("summary_failed")
        case is AudioFormatError: return .permanent("bad_audio")
        case let error as SummaryJobError:
            switch error {
            case .callMissing: return .permanent("call_missing")
            case .noPlaybook: return .retryable("no_playbook")
            }
        default: return .retryable("internal_error")
        }
    }
}

/// Why a summary job could not run, apart from the recording's and the analyzer's own errors.
enum SummaryJobError: Error, Sendable {
    case callMissing
    case noPlaybook
}

/// Set when the job's lease is lost, so the analysis stops at its next page.
final class StopFlag: Sendable {
    struct Stopped: Error {}
    private let flag = Atomic<Bool>(false)
    func set() { flag.store(true, ordering: .relaxed) }
    var isSet: Bool { flag.load(ordering: .relaxed) }
}
