import EarpieceAuth
import EarpieceCalls
import EarpieceGuidance
import EarpieceKeyFiles
import EarpieceStore
import EarpieceVault
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle

/// The Earpiece gateway: the HTTP and WebSocket routes over one router, ready to run as a service.
public struct Gateway: Sendable {
    public let configuration: GatewayConfiguration
    /// Where `/metrics` reads from; each gateway has its own, so tests can run several.
    public let registry: PrometheusCollectorRegistry
    let verifier: TokenVerifier
    let logger: Logger
    /// The metadata database, the keys and the blob directory that recordings use.
    public let storage: RecordingStorage
    /// Each tenant's playbook, or the default one from the models directory.
    public let playbooks: PlaybookCatalog
    /// The recognizer's decoder pool and the intent model, which every call's admission draws on.
    public let speech: SpeechResources
    /// What summaries are made with: decoders of their own at best accuracy; `nil` without a recognizer or an
    /// intent model (jobs then wait in the queue).
    public let summaryModels: SummaryModels?

    /// Loads (or on first run creates) the data directory's signing key, keyring, database and blob directory,
    /// and the JWKS file, if any; then finishes any recording a crash left open, before a stream is accepted.
    public init(configuration: GatewayConfiguration, logger: Logger) async throws {
        self.configuration = configuration
        self.logger = logger
        registry = PrometheusCollectorRegistry()
        // A new data directory is owner-only; an existing one is left as its operator set it.
        if !FileManager.default.fileExists(atPath: configuration.dataDirectory) {
            try FileManager.default.createDirectory(
                atPath: configuration.dataDirectory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        }
        storage = try Self.openStorage(configuration)
        let (models, playbooks) = try Self.loadModels(
            configuration, store: storage.store, transcriptDecoders: configuration.transcriptDecoders,
            keyphraseDecoders: configuration.keyphraseDecoders)
        for problem in models.problems { logger.warning("guidance limited", metadata: ["reason": .string(problem)]) }
        logger.info("guidance ready", metadata: [
            "richest_tier": .string(models.resources.richestTier.rawValue),
            "transcript_decoders": .stringConvertible(configuration.transcriptDecoders),
            "keyphrase_decoders": .stringConvertible(configuration.keyphraseDecoders),
        ])
        speech = models.resources
        self.playbooks = playbooks
        summaryModels = Self.summaryModels(configuration: configuration, speech: models.resources, playbooks: playbooks)
        let recovered = try await RecordingRecovery(storage: storage, logger: logger).run()
        if recovered.parts > 0 {
            logger.notice("recovered interrupted recordings", metadata: [
                "parts": .stringConvertible(recovered.parts), "packets": .stringConvertible(recovered.packets)])
        }
        verifier = try await TokenVerifier(
            configuration: AuthConfiguration(
                dataDirectory: configuration.dataDirectory, issuer: configuration.issuer, audience: configuration.audience,
                acceptsDevelopmentKey: configuration.acceptDevKey, jwksPath: configuration.jwksPath,
                jwksIssuer: configuration.jwksIssuer),
            logger: logger)
    }

    /// The services to run, in order: the application, bound to the configured address, and the stream
    /// shutdown, which a service group shuts down first. `onServerRunning` learns the channel (and so the
    /// port, when the configuration asks for port 0).
    public func services(onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }) -> [any Service] {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets["earpiece_hint_latency_seconds"] = Self.latencyBuckets
        factory.durationHistogramBuckets["earpiece_pipeline_lag_seconds"] = Self.latencyBuckets
        let admission = StreamAdmission(maxStreams: configuration.maxStreams, maxStreamsPerOrg: configuration.maxStreamsPerOrg, metrics: factory)

        let router = Router(context: EarpieceRequestContext.self)
        router.add(middleware: LogRequestsMiddleware(.debug))
        HealthRoutes(registry: registry, admission: admission).register(on: router)
        WebClientRoutes(files: WebClientFiles(root: configuration.webRoot)).register(on: router)
        let v1 = router.group("v1")
            .add(middleware: AuthMiddleware(verifier: verifier))
            .add(middleware: AuditMiddleware(store: storage.store, logger: logger))
        StreamRoute(admission: admission, sessionConfiguration: configuration.sessionConfiguration,
                    metrics: CallMetrics(factory: factory), storage: storage, speech: speech, playbooks: playbooks,
                    logger: logger).register(on: v1)
        CallRoutes(storage: storage, logger: logger).register(on: v1)
        AdminRoutes(store: storage.store).register(on: v1)
        PlaybookRoutes(catalog: playbooks).register(on: v1)
        JobRoutes(store: storage.store).register(on: v1)

        let routes = router.buildResponder()
        // No automatic pings: a pong waits behind every frame the client sent before it, so a client sending
        // faster than the server reads (a file, a resend, a loaded box) would be dropped as dead with 1001 while
        // its audio is still being read. Liveness is the idle timer, which any frame resets (docs/protocol.md).
        let webSocket = WebSocketServerConfiguration(maxFrameSize: configuration.maxMessageBytes, autoPing: .disabled)
        let application = Application(
            responder: routes,
            server: HTTPServerBuilder { responder in
                UpgradingHTTPChannel(responder: responder, router: routes, webSocket: webSocket, http1: .init())
            },
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "earpiece"),
            onServerRunning: onServerRunning,
            logger: logger)
        let storage = storage, logger = logger
        let sweeper = RetentionSweeper(
            storage: storage, resumeWindow: .seconds(configuration.resumeWindowSeconds), logger: logger)
        var services: [any Service] = [
            application, StreamShutdown(admission: admission, grace: .seconds(10)),
            PeriodicJob(name: "retention sweep", interval: .seconds(configuration.sweepIntervalSeconds), logger: logger) {
                _ = try await sweeper.sweep()
            },
            PeriodicJob(name: "key rewrap", interval: .seconds(configuration.rewrapIntervalSeconds), logger: logger) {
                try storage.keys.reload()
                _ = try await KeyRewrap(storage: storage, logger: logger).run()
            },
        ]
        if configuration.summaryWorker, let summaryModels {
            let worker = SummaryWorker(
                storage: storage, models: summaryModels,
                configuration: SummaryWorkerConfiguration(leaseDuration: TimeInterval(configuration.workerLeaseSeconds)),
                logger: logger)
            services.append(SummaryWorkerService(worker: worker))
        }
        if configuration.jwksPath != nil {
            services.append(JWKSRefresh(verifier: verifier, interval: .seconds(configuration.jwksRefreshSeconds), logger: logger))
        }
        return services
    }

    /// Runs the gateway until SIGTERM or SIGINT, then shuts down in order: streams first, then the server.
    public func run(onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }) async throws {
        let group = ServiceGroup(configuration: .init(
            services: services(onServerRunning: onServerRunning),
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
    }

    /// A summary worker on the configuration's data directory, for `earpiece worker`: the same database, keyring,
    /// blobs and models as the server, without the server, its token verifier or its crash recovery (a
    /// running server owns its open recordings).
    public static func standaloneSummaryWorker(configuration: GatewayConfiguration, logger: Logger) async throws -> SummaryWorker {
        guard FileManager.default.fileExists(atPath: configuration.dataDirectory) else {
            throw WorkerSetupError(description: "no data directory at \(configuration.dataDirectory): start `earpiece serve` on it first, or pass --data-dir")
        }
        let storage = try openStorage(configuration)
        let (models, playbooks) = try loadModels(configuration, store: storage.store, transcriptDecoders: 0, keyphraseDecoders: 0)
        guard let summaryModels = summaryModels(configuration: configuration, speech: models.resources, playbooks: playbooks) else {
            throw WorkerSetupError(description: "summaries need the recognizer and the intent model: \(models.problems.joined(separator: "; "))")
        }
        return SummaryWorker(
            storage: storage, models: summaryModels,
            configuration: SummaryWorkerConfiguration(leaseDuration: TimeInterval(configuration.workerLeaseSeconds)),
            logger: logger)
    }

    /// The data directory's keyring, database and blob directory, as the server and `earpiece worker` both open them.
    static func openStorage(_ configuration: GatewayConfiguration) throws -> RecordingStorage {
        let keyring = try Keyring.resolve(dataDirectory: configuration.dataDirectory)
        let dataURL = URL(fileURLWithPath: configuration.dataDirectory)
        let store = try SQLiteMetadataStore(dataDirectory: dataURL)
        let blobs = RecordingStorage.blobDirectory(in: dataURL)
        try OwnerOnlyFiles.ensurePrivateDirectory(blobs)
        return RecordingStorage(
            store: store, keys: RecordingKeys(keyring: keyring, dataDirectory: configuration.dataDirectory), blobDirectory: blobs)
    }

    /// Guidance's models (decoder pools of the given sizes) and the playbooks, checked against its dictionary: a word
    /// the recognizer lacks could never be heard.
    static func loadModels(
        _ configuration: GatewayConfiguration, store: any MetadataStore, transcriptDecoders: Int, keyphraseDecoders: Int
    ) throws -> (GuidanceModels, PlaybookCatalog) {
        let models = GuidanceModels.load(
            directory: URL(fileURLWithPath: configuration.modelsDirectory),
            recognizer: RecognizerConfiguration(modelDirectory: configuration.recognizerModelDirectory),
            transcriptDecoders: transcriptDecoders, keyphraseDecoders: keyphraseDecoders)
        let playbooks = try PlaybookCatalog(
            modelsDirectory: URL(fileURLWithPath: configuration.modelsDirectory), store: store,
            isKnownWord: { models.isKnownWord($0) })
        return (models, playbooks)
    }

    /// Summary decoders at best accuracy (second passes on, the sales-call language model), apart from the live
    /// pool so that summaries never take a live call's decoder; `nil` when guidance has no transcript tier.
    public static func summaryModels(
        configuration: GatewayConfiguration, speech: SpeechResources, playbooks: PlaybookCatalog
    ) -> SummaryModels? {
        guard let intentModel = speech.intentModel, speech.pool != nil else { return nil }
        let recognizer = SummaryAnalyzer.bestAccuracy(
            modelsDirectory: URL(fileURLWithPath: configuration.modelsDirectory),
            base: RecognizerConfiguration(modelDirectory: configuration.recognizerModelDirectory))
        let pool = RecognizerPool(configuration: recognizer, transcriptCapacity: configuration.summaryDecoders, keyphraseCapacity: 0)
        return SummaryModels(pool: pool, intentModel: intentModel) { try await playbooks.playbook(for: $0) }
    }

    static let latencyBuckets: [Duration] = [5, 10, 25, 50, 100, 200, 300, 500, 750, 1_000, 2_000, 5_000].map { .milliseconds($0) }
}
