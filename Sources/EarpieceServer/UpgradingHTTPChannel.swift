import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import NIOWebSocket
// The server half of the WebSocket protocol (frames, pings, the close handshake) is WSCore's; it is public only
// as SPI, which is fine for a dependency pinned to a version.
@_spi(WSInternal) import WSCore

/// HTTP/1.1 connections that may upgrade to a WebSocket, where a refused upgrade gets the router's own answer.
///
/// hummingbird-websocket answers every refused upgrade with a bare 400. Our protocol promises 401 for a bad
/// token, 403 for a missing role and a JSON reason (`docs/protocol.md`), so this channel lets the router decide:
/// the router's answer to the upgrade request is the verdict. A 200 from a route that accepted the upgrade
/// means upgrade; any other answer is sent to the client as it is, and the connection closes.
struct UpgradingHTTPChannel: ServerChildChannel, HTTPChannelHandler {
    /// What a connection became.
    enum Negotiated: Sendable {
        case webSocket(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, WebSocketUpgrade.Accepted)
        case http(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>)
        /// An upgrade the router refused, with its answer.
        case refused(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>, Refusal)
    }

    /// The router's answer to a refused upgrade, collected whole (refusals are small JSON bodies).
    struct Refusal: Sendable {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: ByteBuffer
    }

    struct Value: ServerChildChannelValue {
        let negotiated: EventLoopFuture<Negotiated>
        let channel: any Channel
    }

    let responder: HTTPChannelHandler.Responder
    let router: any HTTPResponder<EarpieceRequestContext>
    let webSocket: WebSocketServerConfiguration
    let http1: HTTP1Channel.Configuration

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let accepted = NIOLockedValueBox<WebSocketUpgrade.Accepted?>(nil)
            let refusal = NIOLockedValueBox<Refusal?>(nil)
            let router = self.router
            let upgrader = NIOTypedWebSocketServerUpgrader<Negotiated>(
                maxFrameSize: webSocket.maxFrameSize,
                shouldUpgrade: { channel, head in
                    let promise = channel.eventLoop.makePromise(of: HTTPHeaders?.self)
                    promise.completeWithTask {
                        guard let request = try? HTTPRequest(head, secure: false, splitCookie: false) else { return nil }
                        let context = EarpieceRequestContext(source: .init(channel: channel, logger: logger))
                        let response: Response
                        do {
                            response = try await router.respond(to: Request(head: request, body: .init(buffer: ByteBuffer())), context: context)
                        } catch {
                            // Routes answer refusals themselves; an error escaping the router is ours.
                            refusal.withLockedValue { $0 = Refusal(status: .internalServerError, headers: [:], body: ByteBuffer()) }
                            return nil
                        }
                        guard response.status == .ok, let verdict = context.upgrade.accepted else {
                            let refused = await Refusal(response)
                            refusal.withLockedValue { $0 = refused }
                            return nil
                        }
                        accepted.withLockedValue { $0 = verdict }
                        return HTTPHeaders(response.headers)
                    }
                    return promise.futureResult
                },
                upgradePipelineHandler: { channel, _ in
                    channel.eventLoop.makeCompletedFuture {
                        let frames = try NIOAsyncChannel<WebSocketFrame, WebSocketFrame>(
                            wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
                        guard let verdict = accepted.withLockedValue({ $0 }) else {
                            throw ChannelError.inappropriateOperationForState
                        }
                        return Negotiated.webSocket(frames, verdict)
                    }
                }
            )
            var configuration = NIOUpgradableHTTPServerPipelineConfiguration<Negotiated>(
                upgradeConfiguration: NIOTypedHTTPServerUpgradeConfiguration(
                    upgraders: [upgrader],
                    notUpgradingCompletionHandler: { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
                            try channel.pipeline.syncOperations.addHandlers(http1.additionalChannelHandlers())
                            try channel.pipeline.syncOperations.addHandler(
                                HTTPConnectionStateHandler(idleTimeout: http1.idleTimeout.map { .init($0) }, logger: logger))
                            let connection = try NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>(
                                wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
                            if let refused = refusal.withLockedValue({ $0 }) { return Negotiated.refused(connection, refused) }
                            return Negotiated.http(connection)
                        }
                    }))
            configuration.enablePipelining = false  // NIOAsyncChannel serialises requests
            configuration.enableErrorHandling = false  // Hummingbird answers errors
            configuration.enableResponseHeaderValidation = false  // HTTPTypes validates
            let negotiated = try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(configuration: configuration)
            return Value(negotiated: negotiated, channel: channel)
        }
    }

    func handle(value: Value, logger: Logger) async {
        do {
            switch try await value.negotiated.get() {
            case .http(let connection):
                await handleHTTP(asyncChannel: connection, logger: logger)
            case .refused(let connection, let refusal):
                try await connection.executeThenClose { _, outbound in
                    var headers = refusal.headers
                    headers[.connection] = "close"
                    headers[.contentLength] = String(refusal.body.readableBytes)
                    try await outbound.write(contentsOf: [
                        .head(HTTPResponse(status: refusal.status, headerFields: headers)),
                        .body(refusal.body),
                        .end(nil),
                    ])
                }
            case .webSocket(let frames, let verdict):
                _ = try await WebSocketHandler.handle(
                    type: .server,
                    configuration: .init(
                        extensions: [], autoPing: webSocket.autoPing, closeTimeout: webSocket.closeTimeout,
                        validateUTF8: webSocket.validateUTF8, maxFrameSize: webSocket.maxFrameSize),
                    asyncChannel: frames,
                    context: WebSocketUpgrade.SessionContext(logger: logger),
                    handler: { inbound, outbound, _ in await verdict.run(inbound, outbound) })
            }
        } catch {
            logger.debug("connection ended", metadata: ["error.type": .string(String(describing: type(of: error)))])
        }
    }
}

/// How a route says "upgrade this request": it records what to run on the socket, and answers 200.
final class WebSocketUpgrade: Sendable {
    /// What runs once the connection is a WebSocket.
    struct Accepted: Sendable {
        let run: @Sendable (WebSocketInboundStream, WebSocketOutboundWriter) async -> Void
    }

    struct SessionContext: WebSocketContext {
        let logger: Logger
    }

    private let verdict = NIOLockedValueBox<Accepted?>(nil)

    var accepted: Accepted? { verdict.withLockedValue { $0 } }

    func accept(_ run: @escaping @Sendable (WebSocketInboundStream, WebSocketOutboundWriter) async -> Void) {
        verdict.withLockedValue { $0 = Accepted(run: run) }
    }
}

extension UpgradingHTTPChannel.Refusal {
    /// Collects a response's body; bodies past 64 KiB are cut, which no refusal of ours approaches.
    init(_ response: Response) async {
        let collector = BodyCollector()
        try? await response.body.write(collector)
        self.init(status: response.status, headers: response.headers, body: collector.buffer.withLockedValue { $0 })
    }

    private struct BodyCollector: ResponseBodyWriter {
        let buffer = NIOLockedValueBox(ByteBuffer())

        mutating func write(_ part: ByteBuffer) async throws {
            buffer.withLockedValue { collected in
                var part = part
                if collected.readableBytes + part.readableBytes <= 64 * 1024 { collected.writeBuffer(&part) }
            }
        }

        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}
