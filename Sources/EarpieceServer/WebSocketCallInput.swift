import EarpieceCalls
import HummingbirdWebSocket
import NIOCore

/// A WebSocket's inbound frames as the call session's input: whole messages, bounded in size.
///
/// It collates fragmented messages itself (rather than through the library's `messages(maxSize:)`) so that
/// an oversized message ends the call with our close code and a JSON reason, not a bare protocol close.
struct WebSocketCallInput: AsyncSequence, Sendable {
    typealias Element = CallInput
    let inbound: WebSocketInboundStream
    let maxMessageBytes: Int

    struct AsyncIterator: AsyncIteratorProtocol {
        var frames: WebSocketInboundStream.AsyncIterator
        let maxMessageBytes: Int

        mutating func next() async throws -> CallInput? {
            guard var first = try await frames.next() else { return nil }
            guard first.opcode != .continuation else {
                throw CallEnd(.badMessage, "a continuation frame arrived outside a fragmented message")
            }
            var buffer = first.data
            first.data = ByteBuffer()
            try check(buffer.readableBytes)
            var fin = first.fin
            while !fin {
                guard let frame = try await frames.next() else { return nil }
                guard frame.opcode == .continuation else {
                    throw CallEnd(.badMessage, "a new message began before the fragmented one finished")
                }
                try check(buffer.readableBytes + frame.data.readableBytes)
                var data = frame.data
                buffer.writeBuffer(&data)
                fin = frame.fin
            }
            switch first.opcode {
            case .text: return .text(String(buffer: buffer))
            default: return .audio(Array(buffer.readableBytesView))
            }
        }

        private func check(_ size: Int) throws {
            guard size <= maxMessageBytes else {
                throw CallEnd(.tooLarge, "message exceeds the limit of \(maxMessageBytes) bytes")
            }
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(frames: inbound.makeAsyncIterator(), maxMessageBytes: maxMessageBytes)
    }
}
