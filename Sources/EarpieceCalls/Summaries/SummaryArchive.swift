import Crypto
import EarpieceStore
import EarpieceVault
import Foundation

/// A call's summary at rest: sealed like a recording (its own data key, wrapped by the tenant's KEK), in the
/// call's blob folder, and found through its `SummaryRecord`.
///
/// Each writer seals into a file of its own (`summary-<job>-<random>.epsb`) and then records it; the store keeps
/// the first record, so a second writer — a rescued job whose first worker was only slow — learns that its file
/// lost and deletes it. A summary is therefore written once, and its record always names the file its key opens.
public struct SummaryArchive: Sendable {
    public let storage: RecordingStorage

    public init(storage: RecordingStorage) {
        self.storage = storage
    }

    /// Seals `json` for the call and records it unless the call has a summary already; returns the record that
    /// stands and whether it is the one just written.
    public func save(
        _ json: [UInt8], scope: TenantScope, callID: String, jobID: String, deleteAfter: Date, now: Date
    ) async throws -> (record: SummaryRecord, written: Bool) {
        if let existing = try await storage.store.summary(scope, callID: callID) { return (existing, false) }
        let objectID = "sum-\(callID)"
        let dataKey = DataKeyWrapper.newDataKey()
        let wrapped: WrappedDataKey
        var sealed: [UInt8]
        do {
            wrapped = try storage.keys.current.wrap(
                dataKey: dataKey, org: scope.org, env: scope.env.rawValue, objectID: objectID)
            var writer = try SealedBlobWriter(
                objectID: objectID,
                keyReference: SealedBlobKeyReference(org: scope.org, env: scope.env.rawValue, kekVersion: wrapped.kekVersion),
                dataKey: dataKey)
            sealed = try writer.append(json)
            sealed += try writer.finish()
        } catch {
            throw RecordingError.keys("cannot seal the summary of \(callID): \(error)")
        }
        let relative = "\(scope.org)/\(scope.env.rawValue)/\(callID)/summary-\(jobID)-\(RandomID.make(prefix: "s")).epsb"
        let path = storage.absolutePath(relative)
        let bytes = sealed
        try await storage.onDisk {
            try BlobFile.ensureDirectory(String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]))
            let file = try BlobFile(creating: path)
            try file.append(bytes)
            try file.sync()
            file.closeFile()
        }
        let record = SummaryRecord(
            scope: scope, callID: callID, jobID: jobID, path: relative, bytes: bytes.count, wrappedKey: Data(wrapped.bytes),
            kekVersion: Int(wrapped.kekVersion), createdAt: now, deleteAfter: deleteAfter)
        let standing: SummaryRecord
        do {
            standing = try await storage.store.saveSummary(record)
        } catch {
            try? await storage.onDisk { try BlobFile.remove(path) }
            throw error
        }
        if standing.path != relative {
            try? await storage.onDisk { try BlobFile.remove(path) }
            return (standing, false)
        }
        return (standing, true)
    }

    /// The call's summary JSON, or `nil` if it has none yet.
    public func read(_ scope: TenantScope, callID: String) async throws -> [UInt8]? {
        guard let record = try await storage.store.summary(scope, callID: callID) else { return nil }
        let dataKey: SymmetricKey
        do {
            dataKey = try storage.keys.current.unwrap(
                WrappedDataKey(bytes: [UInt8](record.wrappedKey)), org: scope.org, env: scope.env.rawValue,
                objectID: "sum-\(callID)")
        } catch {
            throw RecordingError.keys("the summary of \(callID): \(error)")
        }
        let path = storage.absolutePath(record.path)
        let sealed = try await storage.onDisk { try BlobFile.readAll(path) }
        do {
            return try SealedBlobReader.open(sealed, dataKey: dataKey)
        } catch {
            throw RecordingError.damaged("the summary of \(callID): \(error)")
        }
    }
}
