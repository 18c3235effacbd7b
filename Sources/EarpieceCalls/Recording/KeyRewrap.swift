import EarpieceStore
import EarpieceVault
import Foundation
import Logging

/// Moves recordings' wrapped data keys to the active KEK version after a rotation. Only the 65-byte wrapped
/// keys change; audio is never re-encrypted, and recordings stay readable throughout.
public struct KeyRewrap: Sendable {
    let storage: RecordingStorage
    let logger: Logger

    public init(storage: RecordingStorage, logger: Logger) {
        self.storage = storage
        self.logger = logger
    }

    /// Rewraps every data key not under the active version; returns how many moved.
    public func run(now: Date = Date()) async throws -> Int {
        let wrapper = storage.keys.current
        let active = Int(wrapper.keyring.activeVersion)
        var moved = 0
        var perTenant: [TenantScope: Int] = [:]
        var skipped: Set<String> = []
        while true {
            let batch = try await storage.store.recordingsToRewrap(activeVersion: active, limit: 200)
                .filter { !skipped.contains($0.1.id) }
            if batch.isEmpty { break }
            for (scope, recording) in batch {
                guard let bytes = recording.wrappedKey else { continue }
                do {
                    let rewrapped = try wrapper.rewrap(
                        WrappedDataKey(bytes: [UInt8](bytes)), org: scope.org, env: scope.env.rawValue,
                        objectID: recording.id)
                    if try await storage.store.replaceWrappedKey(
                        scope, recordingID: recording.id, fromVersion: recording.kekVersion,
                        wrappedKey: Data(rewrapped.bytes), kekVersion: Int(rewrapped.kekVersion))
                    {
                        moved += 1
                        perTenant[scope, default: 0] += 1
                    }
                } catch {
                    // A key this keyring cannot unwrap (its version was removed) stays as it is; say so once.
                    skipped.insert(recording.id)
                    logger.error(
                        "cannot rewrap a data key",
                        metadata: ["recording_id": .string(recording.id), "reason": .string("\(error)")])
                }
            }
        }
        for (scope, count) in perTenant {
            try await storage.store.appendAudit(
                AuditEvent(
                    scope: scope, userID: AuditEvent.systemUser, method: "REWRAP", route: "keys/rewrap", status: 200,
                    occurredAt: now, durationMs: 0, target: nil, before: nil, after: #"{"kek_version":\#(active),"keys":\#(count)}"#))
        }
        if moved > 0 { logger.info("rewrapped data keys", metadata: ["count": .stringConvertible(moved)]) }
        return moved
    }
}
