import EarpieceCalls
import Foundation

/// Everything `earpiece serve` can be told: flags override environment variables, which override the
/// configuration file, which overrides the defaults here. `docs/configuration.md` lists each setting.
public struct GatewayConfiguration: Sendable, Equatable {
    public var host = "127.0.0.1"
    public var port = 8080
    public var dataDirectory = "./data"
    public var maxStreams = 500
    public var maxStreamsPerOrg = 100
    public var maxMessageBytes = 64 * 1024
    public var idleTimeoutSeconds = 15
    public var guidanceQueueMilliseconds = 600_000
    public var maxGuidanceLagMilliseconds = 2_000
    public var issuer = "earpiece"
    public var audience = "earpiece-gateway"
    public var jwksPath: String?
    /// The `iss` that tokens from the JWKS keys must carry (an identity provider's URL); defaults to `issuer`.
    public var jwksIssuer: String?
    /// How often the JWKS file is read again.
    public var jwksRefreshSeconds = 300
    /// Whether tokens signed with the data directory's generated HS256 key are accepted.
    public var acceptDevKey = true
    /// How often the retention sweeper runs.
    public var sweepIntervalSeconds = 300
    /// How long an interrupted call waits for its client to resume before it is ended.
    public var resumeWindowSeconds = 600
    /// How often the keyring is re-read and data keys are moved to its active version.
    public var rewrapIntervalSeconds = 60
    /// The product's models (the intent model and the default playbook), relative to the working directory.
    public var modelsDirectory = "Models"
    /// The most transcript decoders (≈ 98 MB each, one per speaker of a transcript-tier call); by default sized
    /// to the box's cores (`defaultDecoders(cores:)`).
    public var transcriptDecoders = Self.defaultDecoders(cores: ProcessInfo.processInfo.activeProcessorCount).transcript
    /// The most keyphrase decoders (≈ 28 MB each, one per speaker of a keyphrase-tier call); by default sized to
    /// the box's cores.
    public var keyphraseDecoders = Self.defaultDecoders(cores: ProcessInfo.processInfo.activeProcessorCount).keyphrase
    /// PocketSphinx's US English model: acoustic model, language model and dictionary.
    public var recognizerModelDirectory = "/usr/share/pocketsphinx/model/en-us"
    /// Whether the server runs the summary worker itself; off when `earpiece worker` processes run it instead.
    public var summaryWorker = true
    /// Transcript decoders kept for summaries (one per speaker of the call being summarised), apart from the
    /// live calls' pool.
    public var summaryDecoders = 2
    /// How long a summary job's lease lasts without a heartbeat.
    public var workerLeaseSeconds = 120
    /// Where the web client's files are read from; nil serves the copies built beside the executable.
    public var webRoot: String?

    public init() {}

    /// The decoder pools a box with `cores` cores carries by default, from the load generator's figures on a
    /// 2-core box (`docs/performance.md`): a live transcript call costs about half a core and 2 cores carry one
    /// within the hint-latency target, so one transcript decoder per core, in whole stereo calls (at least one);
    /// a keyphrase call costs about 0.05 cores and 2 cores carry 30, so 16 keyphrase decoders (8 calls) per core:
    /// on 2 cores both pools full take about 1.35 cores, which leaves 30 % for the server, recording and the OS.
    public static func defaultDecoders(cores: Int) -> (transcript: Int, keyphrase: Int) {
        let cores = min(max(cores, 1), 256)
        return (transcript: max(2, cores / 2 * 2), keyphrase: 16 * cores)
    }

    /// A setting that could not be used, named with where it came from.
    public struct Problem: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    /// Reads a JSON configuration file (keys as in `docs/configuration.md`) over the current values.
    public mutating func apply(file path: String) throws(Problem) {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw Problem(description: "cannot read configuration file \(path)")
        }
        guard data.count <= 1 << 20,
              let object = try? JSONSerialization.jsonObject(with: data), let settings = object as? [String: Any]
        else {
            throw Problem(description: "configuration file \(path) must be a JSON object of at most 1 MiB")
        }
        for (key, value) in settings {
            let text: String
            switch value {
            case let string as String: text = string
            case let number as NSNumber: text = number.stringValue
            default: throw Problem(description: "\(path): \(key) must be a string or a number")
            }
            try set(key, to: text, source: path)
        }
    }

    /// Applies `EARPIECE_*` variables: `EARPIECE_MAX_STREAMS=50` sets `max_streams`.
    public mutating func apply(environment: [String: String]) throws(Problem) {
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) where name.hasPrefix("EARPIECE_") {
            let key = name.dropFirst("EARPIECE_".count).lowercased()
            guard Self.keys.contains(key) else { continue }
            try set(key, to: value, source: name)
        }
    }

    static let keys: Set<String> = [
        "host", "port", "data_dir", "max_streams", "max_streams_per_org", "max_message_bytes", "idle_timeout_s",
        "guidance_queue_ms", "max_guidance_lag_ms", "issuer", "audience", "jwks_path", "jwks_issuer", "jwks_refresh_s", "accept_dev_key",
        "sweep_interval_s", "resume_window_s", "rewrap_interval_s", "models_dir",
        "transcript_decoders", "keyphrase_decoders", "recognizer_model_dir", "summary_worker", "summary_decoders",
        "worker_lease_s", "web_root",
    ]

    /// Sets one setting from text, checking its range.
    public mutating func set(_ key: String, to value: String, source: String) throws(Problem) {
        func integer(_ range: ClosedRange<Int>) throws(Problem) -> Int {
            guard let number = Int(value), range.contains(number) else {
                throw Problem(description: "\(source): \(key) must be a whole number from \(range.lowerBound) to \(range.upperBound), not \"\(value.prefix(32))\"")
            }
            return number
        }
        switch key {
        case "host": host = value
        case "port": port = try integer(0...65_535)
        case "data_dir": dataDirectory = value
        case "max_streams": maxStreams = try integer(1...100_000)
        case "max_streams_per_org": maxStreamsPerOrg = try integer(1...100_000)
        case "max_message_bytes": maxMessageBytes = try integer(1_024...(16 << 20))
        case "idle_timeout_s": idleTimeoutSeconds = try integer(1...3_600)
        case "guidance_queue_ms": guidanceQueueMilliseconds = try integer(100...3_600_000)
        case "max_guidance_lag_ms": maxGuidanceLagMilliseconds = try integer(100...60_000)
        case "issuer": issuer = value
        case "audience": audience = value
        case "jwks_path": jwksPath = value.isEmpty ? nil : value
        case "jwks_issuer": jwksIssuer = value.isEmpty ? nil : value
        case "jwks_refresh_s": jwksRefreshSeconds = try integer(1...86_400)
        case "sweep_interval_s": sweepIntervalSeconds = try integer(1...86_400)
        case "resume_window_s": resumeWindowSeconds = try integer(1...86_400)
        case "rewrap_interval_s": rewrapIntervalSeconds = try integer(1...86_400)
        case "models_dir": modelsDirectory = value
        case "transcript_decoders": transcriptDecoders = try integer(0...1_000)
        case "keyphrase_decoders": keyphraseDecoders = try integer(0...1_000)
        case "recognizer_model_dir": recognizerModelDirectory = value
        case "web_root": webRoot = value.isEmpty ? nil : value
        case "summary_decoders": summaryDecoders = try integer(2...16)
        case "worker_lease_s": workerLeaseSeconds = try integer(1...3_600)
        case "summary_worker":
            guard let flag = Bool(value) else { throw Problem(description: "\(source): summary_worker must be true or false") }
            summaryWorker = flag
        case "accept_dev_key":
            guard let flag = Bool(value) else { throw Problem(description: "\(source): accept_dev_key must be true or false") }
            acceptDevKey = flag
        default:
            throw Problem(description: "\(source): unknown setting \"\(key.prefix(64))\"; known: \(Self.keys.sorted().joined(separator: ", "))")
        }
    }

    /// The call session settings these imply, for a live stream.
    public var sessionConfiguration: CallSessionConfiguration {
        CallSessionConfiguration(
            pacing: .realtime, maxMessageBytes: maxMessageBytes, idleTimeout: .seconds(idleTimeoutSeconds),
            guidanceQueueMilliseconds: guidanceQueueMilliseconds,
            maxGuidanceLag: .milliseconds(maxGuidanceLagMilliseconds))
    }
}
