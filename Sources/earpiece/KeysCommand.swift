import ArgumentParser
import EarpieceVault
import Foundation

/// `earpiece keys`: the root keyring behind every tenant's key-encryption keys.
struct KeysCommand: ParsableCommand {
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

    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a root key version and make it active: new data keys are wrapped under it; old ones stay readable.")

        @Option(name: .customLong("data-dir"), help: "The gateway's data directory.")
        var dataDirectory = "./data"

        func run() throws {
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
        }
    }
}
