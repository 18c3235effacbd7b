import ArgumentParser
import EarpieceServer
import Foundation
import Hummingbird
import Logging

/// `earpiece serve`: runs the gateway until SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the gateway.",
        discussion: "Settings come from flags, then EARPIECE_* environment variables, then --config, then defaults (docs/configuration.md)."
    )

    @Option(help: "Address to listen on (default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on (default 8080; 0 picks a free one).")
    var port: Int?

    @Option(name: .customLong("data-dir"), help: "Where keys, recordings and the database live (default ./data).")
    var dataDirectory: String?

    @Option(help: "A JSON configuration file.")
    var config: String?

    @Flag(help: "On start, print a dev token for a rep (for trying the gateway out).")
    var printDevToken = false

    func run() async throws {
        var settings = GatewayConfiguration()
        do {
            if let config { try settings.apply(file: config) }
            try settings.apply(environment: ProcessInfo.processInfo.environment)
            if let host { try settings.set("host", to: host, source: "--host") }
            if let port { try settings.set("port", to: String(port), source: "--port") }
            if let dataDirectory { try settings.set("data_dir", to: dataDirectory, source: "--data-dir") }
        } catch {
            throw ValidationError(error.description)
        }
        var logger = Logger(label: "earpiece")
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info

        let gateway = try await Gateway(configuration: settings, logger: logger)
        let banner: String? = printDevToken ? try await DevBanner.text(settings: settings) : nil
        let (host, configuredPort) = (settings.host, settings.port)
        try await gateway.run { channel in
            let port = channel.localAddress?.port ?? configuredPort
            var text = "Earpiece is listening on http://\(host):\(port)  (stream: ws://\(host):\(port)/v1/stream)\n"
            if let banner { text += banner.replacingOccurrences(of: "{PORT}", with: String(port)) + "\n" }
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}
