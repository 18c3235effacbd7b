import EarpieceCalls
import EarpieceStore
import EarpieceVault
import Foundation
import Logging

/// The data directory's recordings, opened from the command line rather than by a running gateway. SQLite in
/// WAL mode lets this run beside a live server.
enum OfflineStorage {
    static func open(dataDirectory: String) throws -> RecordingStorage {
        let url = URL(fileURLWithPath: dataDirectory)
        guard FileManager.default.fileExists(atPath: url.appendingPathComponent(SQLiteMetadataStore.relativePath).path) else {
            throw CommandFailure(message: "\(dataDirectory) holds no Earpiece database; start `earpiece serve --data-dir \(dataDirectory)` once")
        }
        let keyring = try Keyring.resolve(dataDirectory: dataDirectory)
        return RecordingStorage(
            store: try SQLiteMetadataStore(dataDirectory: url),
            keys: RecordingKeys(keyring: keyring, dataDirectory: dataDirectory),
            blobDirectory: RecordingStorage.blobDirectory(in: url))
    }

    static var logger: Logger {
        var logger = Logger(label: "earpiece")
        logger.logLevel = .warning
        return logger
    }
}

/// A command that could not do its job; the message says why.
struct CommandFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
