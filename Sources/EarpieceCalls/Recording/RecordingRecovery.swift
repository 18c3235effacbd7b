import EarpieceAudio
import EarpieceStore
import EarpieceVault
import Foundation
import Logging

/// Finishes the part files a crash left open, at start, before any stream is accepted.
///
/// Each open part is read leniently: the packets of its authentic prefix (everything flushed, so everything
/// acknowledged) are copied into a new sealed file under a fresh data key, which replaces the old one in the
/// store before the old file is removed. The interrupted file is never appended to (`docs/sealed-blob.md`).
public struct RecordingRecovery: Sendable {
    let storage: RecordingStorage
    let logger: Logger

    public init(storage: RecordingStorage, logger: Logger) {
        self.storage = storage
        self.logger = logger
    }

    /// What one run recovered.
    public struct Report: Sendable, Equatable {
        public var parts = 0
        public var packets = 0
    }

    /// Recovers every part still marked open. Call only when no stream is running.
    public func run(now: Date = Date()) async throws -> Report {
        var report = Report()
        for (scope, part) in try await storage.store.openRecordings() {
            let packets = try await recover(part, scope, now: now)
            report.parts += 1
            report.packets += packets
            try await storage.store.appendAudit(
                AuditEvent(
                    scope: scope, userID: AuditEvent.systemUser, method: "RECOVER", route: "recording", status: 200,
                    occurredAt: now, durationMs: 0, target: part.callID))
            logger.notice(
                "recovered an interrupted recording part",
                metadata: ["recording_id": .string(part.id), "packets": .stringConvertible(packets)])
        }
        return report
    }

    private func recover(_ part: RecordingRecord, _ scope: TenantScope, now: Date) async throws -> Int {
        let oldPath = storage.absolutePath(part.path)
        let exists = FileManager.default.fileExists(atPath: oldPath)
        let audio =
            exists
            ? try await RecordingArchive(storage: storage).read(part, scope, strict: false)
            : RecordingArchive.PartAudio(head: nil, packets: [], isComplete: false)
        let relative = RecordingStorage.relativePath(scope, callID: part.callID, recordingID: part.id + "-recovered")
        let newPath = storage.absolutePath(relative)
        let dataKey = DataKeyWrapper.newDataKey()
        let wrapped = try storage.keys.current.wrap(
            dataKey: dataKey, org: scope.org, env: scope.env.rawValue, objectID: part.id)
        var sealer = try SealedBlobWriter(
            objectID: part.id,
            keyReference: SealedBlobKeyReference(org: scope.org, env: scope.env.rawValue, kekVersion: wrapped.kekVersion),
            dataKey: dataKey)
        var sealed: [UInt8] = []
        var samples: Int64 = 0
        if let head = audio.head {
            var ogg = OggOpusWriter(head: head, serial: RecordingArchive.serial(callID: part.id))
            sealed += try sealer.append(ogg.headerPages())
            for packet in audio.packets {
                sealed += try sealer.append(try ogg.append(packet))
                samples += Int64((try? OpusPacketInfo(packet: packet).sampleCount) ?? 0)
            }
            sealed += try sealer.append(ogg.finish())
        }
        sealed += try sealer.finish()
        let output = sealed
        try await storage.onDisk {
            // A crash during an earlier recovery may have left this file; it was never recorded, so replace it.
            try BlobFile.remove(newPath)
            try BlobFile.ensureDirectory(String(newPath[..<(newPath.lastIndex(of: "/") ?? newPath.endIndex)]))
            let file = try BlobFile(creating: newPath)
            try file.append(output)
            try file.sync()
            file.closeFile()
        }
        try await storage.store.markRecovered(
            scope, recordingID: part.id, path: relative, wrappedKey: Data(wrapped.bytes),
            kekVersion: Int(wrapped.kekVersion), bytes: output.count, packets: audio.packets.count,
            durationMs: Int(samples / 48), now: now)
        if exists { try await storage.onDisk { try BlobFile.remove(oldPath) } }
        return audio.packets.count
    }
}
