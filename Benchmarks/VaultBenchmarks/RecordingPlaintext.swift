import Crypto
import EarpieceAudio
import EarpieceVault

/// The Ogg Opus bytes `CallRecorder` hands its sealer over one call, in the pieces and order it hands them.
///
/// The recorder appends every page its `OggOpusWriter` closes (a page closes by itself after 1 s of audio) and,
/// at each flush, closes the open page, appends it and flushes the sealer, which seals what is pending as a short
/// segment. Where the flushes fall decides the segment sizes, and so the work per byte: a live call flushes every
/// 500 ms of audio (`recordingFlushInterval`), an upload faster than real time far less often per second of audio.
struct RecordingPlaintext: Sendable {
    enum Step: Sendable {
        /// Bytes the Ogg writer produced, given to `SealedBlobWriter.append`.
        case append([UInt8])
        /// `SealedBlobWriter.flush`, after which the recorder writes and syncs what it was handed.
        case flush
    }

    let steps: [Step]
    /// The Ogg stream's length: every byte appended.
    let byteCount: Int

    /// The recording of `packets`, flushed after every `flushEveryPackets` packets, or only at the end when `nil`.
    init(packets: [OpusStreamPacket], head: OpusHead, flushEveryPackets: Int?) throws(AudioFormatError) {
        // A fixed serial: the recorder draws one at random, which changes no length.
        var ogg = OggOpusWriter(head: head, serial: 0x4550_5342)
        var steps: [Step] = [.append(ogg.headerPages())]
        var unflushedPackets = 0
        // Like the recorder's, a flush with no packet since the last one does nothing.
        func flush() {
            guard unflushedPackets > 0 else { return }
            let page = ogg.flush()
            if !page.isEmpty { steps.append(.append(page)) }
            steps.append(.flush)
            unflushedPackets = 0
        }
        for (index, packet) in packets.enumerated() {
            let page = try ogg.append(packet.data)
            if !page.isEmpty { steps.append(.append(page)) }
            unflushedPackets += 1
            if let flushEveryPackets, (index + 1) % flushEveryPackets == 0 { flush() }
        }
        // The end of a call: a last flush, then the end-of-stream page, sealed as the last segment by `finish`.
        flush()
        steps.append(.append(ogg.finish()))
        self.steps = steps
        byteCount = steps.reduce(0) { total, step in
            if case .append(let bytes) = step { total + bytes.count } else { total }
        }
    }

    /// Seals the recording into `sink` as the recorder does: each piece appended as it comes, the sealer flushed
    /// and the sink synced at each flush, then the last segment.
    func seal(
        objectID: String, keyReference: SealedBlobKeyReference, dataKey: SymmetricKey, into sink: inout SealedSink
    ) throws {
        var writer = try SealedBlobWriter(objectID: objectID, keyReference: keyReference, dataKey: dataKey)
        for step in steps {
            switch step {
            case .append(let bytes):
                sink.add(try writer.append(bytes))
            case .flush:
                sink.add(try writer.flush())
                try sink.sync()
            }
        }
        sink.add(try writer.finish())
        try sink.sync()
    }
}
