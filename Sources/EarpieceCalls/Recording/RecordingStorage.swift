import EarpieceStore
import EarpieceVault
import Foundation
import NIOPosix

/// Where recordings live and what opens them: the metadata store, the keyring's data-key wrapper, and the
/// blob directory (`<data>/blobs/<org>/<env>/<call>/<recording>.epsb`).
public struct RecordingStorage: Sendable {
    public let store: any MetadataStore
    public let keys: RecordingKeys
    /// The blob directory's absolute path.
    public let blobDirectory: String
    /// Runs the blocking file calls (write, fsync, unlink) off the concurrency pool.
    let threadPool: NIOThreadPool

    public init(
        store: any MetadataStore, keys: RecordingKeys, blobDirectory: String,
        threadPool: NIOThreadPool = .singleton
    ) {
        self.store = store
        self.keys = keys
        self.blobDirectory = blobDirectory
        self.threadPool = threadPool
    }

    /// The blob directory under a data directory.
    public static func blobDirectory(in dataDirectory: URL) -> String {
        dataDirectory.appendingPathComponent("blobs").path
    }

    /// A part file's path relative to the blob directory. Org, env and call ids are identifiers already checked
    /// to hold only letters, digits, `_` and `-`, so they are safe as path components.
    static func relativePath(_ scope: TenantScope, callID: String, recordingID: String) -> String {
        "\(scope.org)/\(scope.env.rawValue)/\(callID)/\(recordingID).epsb"
    }

    func absolutePath(_ relative: String) -> String { blobDirectory + "/" + relative }

    /// Runs blocking file work on the thread pool.
    func onDisk<T: Sendable>(_ work: @Sendable @escaping () throws -> T) async throws -> T {
        try await threadPool.runIfActive(work)
    }
}
