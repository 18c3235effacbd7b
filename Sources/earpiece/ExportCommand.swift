import ArgumentParser
import EarpieceAuth
import EarpieceCalls
import EarpieceStore
import Foundation

/// `earpiece export CALL_ID -o FILE`: a call's recording, decrypted, as one Ogg Opus file; audited.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a call's decrypted recording to an Ogg Opus file (the export is recorded in the audit log)."
    )

    @Argument(help: "The call id.")
    var callID: String

    @Option(name: .shortAndLong, help: "The file to write (refused if it exists).")
    var output: String

    @Option(help: "The call's organisation.")
    var org: String

    @Option(help: "The call's environment: dev, staging or prod.")
    var env: String = "prod"

    @Option(name: .customLong("data-dir"), help: "The gateway's data directory.")
    var dataDirectory = "./data"

    func run() async throws {
        guard let environment = TenantEnvironment(rawValue: env) else {
            throw ValidationError("--env must be dev, staging or prod")
        }
        guard !FileManager.default.fileExists(atPath: output) else {
            throw ValidationError("\(output) exists; choose another file")
        }
        let storage = try OfflineStorage.open(dataDirectory: dataDirectory)
        let scope = TenantScope.operatorScope(org: org, env: environment)
        let started = (Date(), ContinuousClock.now)
        let bytes: [UInt8]
        var status = 200
        do {
            bytes = try await RecordingArchive(storage: storage).exportBytes(scope, callID: callID)
        } catch {
            status = 404
            try? await audit(storage, scope, status: status, started: started)
            throw CommandFailure(message: "\(error)")
        }
        // Owner-only, like everything else holding audio in the clear.
        guard FileManager.default.createFile(atPath: output, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
            throw CommandFailure(message: "cannot write \(output)")
        }
        try await audit(storage, scope, status: status, started: started)
        print("wrote \(bytes.count) bytes of Ogg Opus to \(output)")
    }

    private func audit(_ storage: RecordingStorage, _ scope: TenantScope, status: Int, started: (Date, ContinuousClock.Instant)) async throws {
        let elapsed = ContinuousClock.now - started.1
        try await storage.store.appendAudit(AuditEvent(
            scope: scope, userID: "operator", method: "EXPORT", route: "earpiece export", status: status,
            occurredAt: started.0, durationMs: Int(elapsed / .milliseconds(1)), target: callID))
    }
}
