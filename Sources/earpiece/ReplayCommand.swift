import ArgumentParser
import EarpieceAudio
import EarpieceCalls
import EarpieceGuidance
import Foundation
import Logging

/// `earpiece replay FILE`: runs a recorded call through the same CallSession the server runs, with no socket.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Run an Ogg Opus or WebM file through a call session and print what the server would send."
    )

    @Argument(help: "An Ogg Opus (.opus, .ogg) or WebM (.webm) file.")
    var file: String

    @Flag(help: "Print every server message as one JSON object per line.")
    var json = false

    @Flag(help: "Pace the audio in real time, as a live client would, sent as raw frames.")
    var realtime = false

    @Flag(help: "Report only what the audio path found (container, packets, duration, gaps, levels).")
    var audioReport = false

    @Option(help: "Channels to declare for the stream (Ogg and WebM headers override it).")
    var channels = 2

    @Option(help: "Bytes per message when sending the file as it is.")
    var chunkSize = 4096

    @Option(help: "Guidance tier: transcript (recognizer + intent model), keyphrase (the playbook's phrases) or dynamics.")
    var tier: GuidanceTier = .transcript

    @Option(help: "Hint policy: default (the playbook's cooldowns and attention budget) or unlimited (every detection).")
    var hintPolicy: HintPolicyChoice = .default

    @Option(help: "Directory holding intent-model.bin and playbook.json.")
    var modelsDir = "Models"

    @Option(help: "A playbook JSON file to use instead of the models directory's playbook.json.")
    var playbook: String?

    @Option(help: "WebRTC noise suppression on what the recognizer hears once the line's noise floor reaches -50 dBFS: off, mild, medium or aggressive.")
    var noiseSuppression = NoiseSuppressionChoice.standard

    enum HintPolicyChoice: String, ExpressibleByArgument, CaseIterable {
        case `default`, unlimited
    }

    func validate() throws {
        guard chunkSize > 0 else { throw ValidationError("--chunk-size must be positive") }
        guard channels == 1 || channels == 2 else { throw ValidationError("--channels must be 1 or 2") }
    }

    func run() async throws {
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
        } catch {
            throw ReplayFailure(message: "cannot read \(file)")
        }
        if audioReport {
            try printAudioReport(bytes)
            return
        }
        let input = realtime ? try ReplayInput.pacedRawFrames(bytes, file: file) : ReplayInput.chunks(bytes, size: chunkSize)
        var logger = Logger(label: "earpiece.replay")
        logger.logLevel = .warning
        let speech = try leaseSpeech()
        var guidance = GuidanceConfiguration()
        if hintPolicy == .unlimited { guidance.policy = .unlimited }
        let session = CallSession(
            callID: "replay", sessionID: "replay", channels: channels, container: realtime ? .raw : .auto,
            configuration: CallSessionConfiguration(
                pacing: realtime ? .realtime : .lossless, idleTimeout: .seconds(3_600), guidance: guidance,
                sendsTranscripts: true),
            speech: speech, logger: logger)
        let json = self.json
        let end = await session.run(input: input) { message in
            if json {
                print(message.json())
            } else if let line = ReplayOutput.line(for: message) {
                print(line)
            }
        }
        guard end.code == .normal else {
            throw ReplayFailure(message: "\(file): \(end.reason)")
        }
    }

    /// The recognizers for `--tier`, refusing rather than quietly replaying a cheaper tier than asked for.
    private func leaseSpeech() throws -> SpeechLease {
        guard tier != .dynamics else { return .dynamics() }
        let models = GuidanceModels.load(
            directory: URL(fileURLWithPath: modelsDir),
            recognizer: RecognizerConfiguration(noiseSuppression: noiseSuppression.level),
            transcriptDecoders: 2, keyphraseDecoders: 2)
        let chosen: Playbook
        if let playbook {
            do {
                chosen = try Playbook.loadDefault(from: URL(fileURLWithPath: playbook), isKnownWord: models.isKnownWord)
            } catch {
                throw ReplayFailure(message: "\(playbook): \(error)")
            }
        } else if let loaded = models.defaultPlaybook {
            chosen = loaded
        } else {
            throw ReplayFailure(message: "--tier \(tier.rawValue) needs a playbook: \(models.problems.joined(separator: "; "))")
        }
        var problems: [RecognizerError] = []
        // Stereo is asked for at most; a mono stream gives its second decoder back.
        let lease = models.resources.lease(channelCount: 2, playbook: chosen, richest: tier, problems: &problems)
        guard lease.tier == tier else {
            let reasons = models.problems + problems.map(\.description)
            throw ReplayFailure(message: "--tier \(tier.rawValue) is not available: \(reasons.joined(separator: "; "))")
        }
        return lease
    }

    private func printAudioReport(_ bytes: [UInt8]) throws {
        var demuxer = SniffingDemuxer()
        var inspector: StreamInspector?
        do {
            for start in stride(from: 0, to: bytes.count, by: chunkSize) {
                for packet in try demuxer.push(Array(bytes[start..<min(bytes.count, start + chunkSize)])) {
                    if inspector == nil, let head = demuxer.head, let container = demuxer.container {
                        inspector = try StreamInspector(container: container, head: head)
                    }
                    try inspector?.add(packet)
                }
            }
            try demuxer.finish()
        } catch {
            throw ReplayFailure(message: "\(file): \(error)")
        }
        guard var report = inspector?.summary else {
            throw ReplayFailure(message: "\(file): the stream holds no audio packets")
        }
        if let exact = demuxer.playbackSampleCount { report.durationSeconds = Double(exact) / 48_000 }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
            return
        }
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

/// A replay that could not finish; its message names the file and the reason.
struct ReplayFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

extension GuidanceTier: ExpressibleByArgument {}
