import EarpieceAudio
import EarpieceCalls

/// What `earpiece replay` feeds a call session, as a client would send it.
enum ReplayInput {
    /// The file as it is, in messages of `size` bytes, then `close`.
    static func chunks(_ bytes: [UInt8], size: Int) -> AsyncStream<CallInput> {
        AsyncStream { continuation in
            for start in stride(from: 0, to: bytes.count, by: size) {
                continuation.yield(.audio(Array(bytes[start..<min(bytes.count, start + size)])))
            }
            continuation.yield(.text(#"{"type":"close"}"#))
            continuation.finish()
        }
    }

    /// The file's packets as raw frames, each sent when its audio would have been captured, then `close`.
    static func pacedRawFrames(_ bytes: [UInt8], file: String) throws -> AsyncStream<CallInput> {
        var demuxer = SniffingDemuxer()
        let packets: [OpusStreamPacket]
        do {
            packets = try demuxer.push(bytes)
            try demuxer.finish()
        } catch {
            throw ReplayFailure(message: "\(file): \(error)")
        }
        return AsyncStream { continuation in
            let task = Task {
                let start = ContinuousClock.now
                var elapsedMicros: Int64 = 0
                for packet in packets {
                    try await Task.sleep(until: start + .microseconds(elapsedMicros), clock: .continuous)
                    let frame = RawPacketFrame(sequence: UInt32(truncatingIfNeeded: packet.sequence), captureTimeMicros: UInt64(elapsedMicros), packet: packet.data)
                    continuation.yield(.audio(frame.serialized))
                    elapsedMicros += Int64((try? OpusPacketInfo(packet: packet.data).sampleCount) ?? 960) * 1_000 / 48
                }
                continuation.yield(.text(#"{"type":"close"}"#))
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
