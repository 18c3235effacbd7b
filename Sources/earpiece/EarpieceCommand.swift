import ArgumentParser

@main
struct EarpieceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "earpiece",
        abstract: "A self-hosted gateway for live-call assistance.",
        subcommands: [ServeCommand.self, TokenCommand.self, KeysCommand.self, ReplayCommand.self, ExportCommand.self, SweepCommand.self, TranscribeCommand.self, WorkerCommand.self, LoadgenCommand.self]
    )
}
