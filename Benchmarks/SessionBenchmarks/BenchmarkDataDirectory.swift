import EarpieceCalls
import EarpieceStore
import EarpieceVault
import Foundation

/// A data directory of the benchmark's own in the temporary directory, laid out as `earpiece serve` lays out
/// its own: a keyring, the SQLite store and the blob directory that recordings are sealed into.
final class BenchmarkDataDirectory: Sendable {
    let path: String
    let store: SQLiteMetadataStore
    let storage: RecordingStorage
    let scope = TenantScope.operatorScope(org: "org_benchmark", env: .prod)

    init() throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("earpiece-session-benchmark-\(ProcessInfo.processInfo.processIdentifier)")
        path = url.path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let keys = RecordingKeys(keyring: try Keyring.loadOrCreate(dataDirectory: path), dataDirectory: path)
        store = try SQLiteMetadataStore(dataDirectory: url)
        storage = RecordingStorage(store: store, keys: keys, blobDirectory: RecordingStorage.blobDirectory(in: url))
    }

    /// Opens a call as the stream route does before its session starts, so that its recorder has a row to
    /// record into; returns the call's id.
    func openCall() async throws -> String {
        let callID = RandomID.make(prefix: "call")
        try await store.createCall(
            CallRecord(
                scope: scope, id: callID, repUserID: "rep_benchmark", startedAt: Date(),
                resumeTokenHash: Data(count: 32)))
        return callID
    }

    /// Removes the directory and everything recorded into it.
    func remove() throws {
        try FileManager.default.removeItem(atPath: path)
    }
}
