import ArgumentParser
import EarpieceCalls
import EarpieceStore
import EarpieceVault
import Foundation

/// `earpiece keys`: the root keyring behind every tenant's key-encryption keys.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Inspect and rotate the keyring (docs/key-hierarchy.md).",
        subcommands: [List.self, Rotate.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the keyring's root key versions (never the keys).")

        @Option(name: .customLong("data-dir"), help: "The gateway's data directory.")
        var dataDirectory = "./data"

        func run() throws {
            let keyring: Keyring
            do { keyring = try Keyring.resolve(dataDirectory: dataDirectory) } catch { throw ValidationError(error.description) }
            for version in keyring.versions {
                print("version \(version)\(version == keyring.activeVersion ? "  (active)" : "")")
            }
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a root key version and make it active, then rewrap every recording's data key under it.",
            discussion: "Audio is never re-encrypted: only the 65-byte wrapped data keys change. A running server picks up the new version within rewrap_interval_s and rewraps anything recorded meanwhile.")

        @Option(name: .customLong("data-dir"), help: "The gateway's data directory.")
        var dataDirectory = "./data"

        func run() async throws {
            guard ProcessInfo.processInfo.environment[Keyring.environmentVariable] == nil else {
                throw ValidationError("the keyring comes from \(Keyring.environmentVariable); rotate it where that value is kept")
            }
            let keyring: Keyring
            do {
                _ = try Keyring.loadOrCreate(dataDirectory: dataDirectory)
                keyring = try Keyring.rotate(dataDirectory: dataDirectory)
            } catch {
                throw ValidationError(error.description)
            }
            print("rotated: version \(keyring.activeVersion) is active; versions \(keyring.versions.map(String.init).joined(separator: ", ")) are kept")
            guard FileManager.default.fileExists(atPath: URL(fileURLWithPath: dataDirectory).appendingPathComponent(SQLiteMetadataStore.relativePath).path) else { return }
            let storage = try OfflineStorage.open(dataDirectory: dataDirectory)
            let moved = try await KeyRewrap(storage: storage, logger: OfflineStorage.logger).run()
            print("rewrapped \(moved) data key(s) under version \(keyring.activeVersion)")
        }
    }
}
