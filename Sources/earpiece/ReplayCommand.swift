import ArgumentParser
import EarpieceAudio
import Foundation

/// `earpiece replay FILE`: runs a recorded stream through the audio path and says what it found.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Read an Ogg Opus or WebM file through the audio path and report what it holds."
    )

    @Argument(help: "An Ogg Opus (.opus, .ogg) or WebM (.webm) file.")
    var file: String

    @Flag(help: "Print the report as JSON.")
    var json = false

    @Option(help: "Bytes fed to the demuxer at a time, as a network would deliver them.")
    var chunkSize = 4096

    func run() async throws {
        guard chunkSize > 0 else { throw ValidationError("--chunk-size must be positive") }
        guard let handle = FileHandle(forReadingAtPath: file) else {
            throw ValidationError("cannot open \(file)")
        }
        defer { try? handle.close() }
        var demuxer = SniffingDemuxer()
        var inspector: StreamInspector?
        do {
            while let chunk = try handle.read(upToCount: chunkSize), !chunk.isEmpty {
                for packet in try demuxer.push(Array(chunk)) {
                    if inspector == nil, let head = demuxer.head, let container = demuxer.container {
                        inspector = try StreamInspector(container: container, head: head)
                    }
                    try inspector?.add(packet)
                }
            }
            try demuxer.finish()
        } catch let error as AudioFormatError {
            throw ReplayFailure(message: "\(file): \(error)")
        }
        guard var report = inspector?.summary else {
            throw ReplayFailure(message: "\(file): the stream holds no audio packets")
        }
        if let exact = demuxer.playbackSampleCount {
            report.durationSeconds = Double(exact) / 48_000
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print("""
                container  \(report.container)
                channels   \(report.channels)\(report.channels == 2 ? " (0 rep, 1 customer)" : "")
                packets    \(report.packets) (\(report.bytes) bytes)
                duration   \(String(format: "%.3f", report.durationSeconds)) s (pre-skip \(report.preSkip) samples at 48 kHz)
                decoded    \(report.decodedSamples) samples per channel at 16 kHz
                gaps       \(report.gaps) (\(report.lostPackets) packets lost, \(report.concealedSamples) samples concealed)
                levels     \(report.channelLevelsDBFS.map { String(format: "%.1f dBFS", $0) }.joined(separator: ", "))
                """)
        }
    }
}

/// A replay that could not finish; its message names the file and the reason.
struct ReplayFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
