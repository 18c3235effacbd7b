import EarpieceStore
import Foundation
import Logging

/// Deletes what the retention clock says is due: for each recording, its data key first (crypto-shredding,
/// after which the file is noise), then its file, then an audit event. Calls on legal hold are skipped. It
/// also ends calls whose clients never came back within the resume window, which starts their clocks, and
/// deletes summaries past the tenant's derived-data days the same way (record and key first, then the file).
public struct RetentionSweeper: Sendable {
    let storage: RecordingStorage
    let resumeWindow: Duration
    let logger: Logger

    /// - Parameter resumeWindow: how long an interrupted call waits for its client before it is ended.
    public init(storage: RecordingStorage, resumeWindow: Duration = .seconds(600), logger: Logger) {
        self.storage = storage
        self.resumeWindow = resumeWindow
        self.logger = logger
    }

    /// What one sweep did.
    public struct Report: Sendable, Equatable {
        public var shredded = 0
        public var endedCalls = 0
        public var summariesDeleted = 0
    }

    /// One pass at `now`.
    public func sweep(now: Date = Date()) async throws -> Report {
        var report = Report()
        let cutoff = now.addingTimeInterval(-Double(resumeWindow.components.seconds))
        for (scope, call) in try await storage.store.abandonedCalls(endedBefore: cutoff) {
            try await storage.store.endCall(scope, callID: call.id, now: now)
            report.endedCalls += 1
        }
        while true {
            let due = try await storage.store.dueRecordings(now: now, limit: 100)
            if due.isEmpty { break }
            for (scope, recording) in due {
                let started = ContinuousClock.now
                try await storage.store.shredRecordingKey(scope, recordingID: recording.id, now: now)
                let path = storage.absolutePath(recording.path)
                do { try await storage.onDisk { try BlobFile.remove(path) } } catch {
                    // The key is gone, so the file is already noise; the deletion still goes on record.
                    logger.error(
                        "shredded recording's file not removed",
                        metadata: ["recording_id": .string(recording.id), "reason": .string("\(error)")])
                }
                let elapsed = ContinuousClock.now - started
                try await storage.store.appendAudit(
                    AuditEvent(
                        scope: scope, userID: AuditEvent.systemUser, method: "DELETE", route: "retention/recording",
                        status: 200, occurredAt: now,
                        durationMs: Int(elapsed / .milliseconds(1)),
                        target: recording.callID))
                logger.info("recording deleted by retention", metadata: ["recording_id": .string(recording.id)])
                report.shredded += 1
            }
        }
        while true {
            let due = try await storage.store.dueSummaries(now: now, limit: 100)
            if due.isEmpty { break }
            for (scope, summary) in due {
                let started = ContinuousClock.now
                try await storage.store.deleteSummary(scope, callID: summary.callID)
                let path = storage.absolutePath(summary.path)
                do { try await storage.onDisk { try BlobFile.remove(path) } } catch {
                    logger.error("deleted summary's file not removed", metadata: ["call_id": .string(summary.callID), "reason": .string("\(error)")])
                }
                try await storage.store.appendAudit(
                    AuditEvent(
                        scope: scope, userID: AuditEvent.systemUser, method: "DELETE", route: "retention/summary",
                        status: 200, occurredAt: now, durationMs: Int((ContinuousClock.now - started) / .milliseconds(1)),
                        target: summary.callID))
                logger.info("summary deleted by retention", metadata: ["call_id": .string(summary.callID)])
                report.summariesDeleted += 1
            }
        }
        return report
    }
}
