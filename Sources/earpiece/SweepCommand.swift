import ArgumentParser
import EarpieceCalls
import Foundation

/// `earpiece sweep`: one pass of the retention sweeper, as the server runs every five minutes.
struct SweepCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Delete recordings whose retention has run out (data key first, then file, then an audit event)."
    )

    @Option(name: .customLong("data-dir"), help: "The gateway's data directory.")
    var dataDirectory = "./data"

    @Option(help: "Seconds an interrupted call waits for its client before it is ended.")
    var resumeWindow = 600

    func run() async throws {
        let storage = try OfflineStorage.open(dataDirectory: dataDirectory)
        let report = try await RetentionSweeper(
            storage: storage, resumeWindow: .seconds(resumeWindow), logger: OfflineStorage.logger
        ).sweep()
        print("swept: \(report.shredded) recording part(s) deleted, \(report.endedCalls) abandoned call(s) ended")
    }
}
