import Crypto
import EarpieceAudio
import EarpieceStore
import EarpieceVault
import Foundation
import Logging

/// Records one connection's share of a call: each accepted packet into an Ogg Opus stream, sealed segment by
/// segment into a new part file, made durable by `flush`, which returns the sequence number to acknowledge.
///
/// Nothing is written until the first packet, so a connection that sends no audio leaves no file. A resumed call
/// gets a new recorder and so a new part file: a sealed file is never appended to.
public actor CallRecorder {
    /// What a flush made durable.
    public struct Durable: Sendable, Equatable {
        /// Every packet up to this client sequence number is on disk.
        public let sequence: UInt64
        public let packets: Int
    }

    private let storage: RecordingStorage
    private let scope: TenantScope
    private let callID: String
    private let part: Int
    private let logger: Logger
    private var open: OpenPart?
    private var sealer: SealedBlobWriter?
    private var unwritten: [UInt8] = []
    private var lastSequence: UInt64?
    private var packets = 0
    private var samples48k: Int64 = 0
    /// Packets already made durable by a flush; a flush with nothing newer does nothing.
    private var durablePackets = 0
    /// Sealed bytes on disk in the part file.
    private var fileBytes = 0
    private var writes: Task<Void, any Error>?
    private var failed: RecordingError?
    /// Set by `finish`: packets that straggle in after the end are not recorded (nor acknowledged).
    private var finished = false

    private struct OpenPart {
        let recordingID: String
        let file: BlobFileHandle
        var ogg: OggOpusWriter
    }

    /// A recorder for part `part` of the call; `part` is 0 for a new call and one more per resume.
    public init(storage: RecordingStorage, scope: TenantScope, callID: String, part: Int, logger: Logger) {
        self.storage = storage
        self.scope = scope
        self.callID = callID
        self.part = part
        self.logger = logger
    }

    /// The recording id of this part, once its first packet has arrived.
    public var recordingID: String? { open?.recordingID }

    /// Adds one accepted packet. The first one creates the part: its data key, its row, its file.
    public func append(packet: [UInt8], samples: Int, sequence: UInt64, head: OpusHead) async throws(RecordingError) {
        if let failed { throw failed }
        guard !finished else { return }
        if open == nil { try await start(head: head) }
        // Appended in place: copying the part out and back would copy the Ogg page buffer on every packet.
        let pages: [UInt8]
        do { pages = try open?.ogg.append(packet) ?? [] } catch {
            throw fail(.damaged("packet \(sequence): \(error)"))
        }
        try seal(pages)
        lastSequence = sequence
        packets += 1
        samples48k += Int64(samples)
    }

    /// Seals what arrived since the last flush into a segment, writes and syncs it, records it in the store,
    /// and returns what is now durable; `nil` when nothing new arrived.
    public func flush() async throws(RecordingError) -> Durable? {
        if let failed { throw failed }
        guard let current = open, let sequence = lastSequence, packets > durablePackets else { return nil }
        let pages = open?.ogg.flush() ?? []
        try seal(pages)
        guard var writer = sealer.take() else { throw fail(.damaged("the part's sealer is gone")) }
        let flushed: Result<[UInt8], SealedBlobError>
        do throws(SealedBlobError) { flushed = .success(try writer.flush()) } catch { flushed = .failure(error) }
        sealer = consume writer
        switch flushed {
        case .success(let bytes): unwritten += bytes
        case .failure(let error): throw fail(.damaged("\(error)"))
        }
        // Appends may run while this flush waits on the disk: count only what was sealed before it.
        let (count, duration) = (packets, durationMs)
        let bytes = try await writeUnwritten(to: current.file)
        do {
            try await storage.store.recordDurable(
                scope, recordingID: current.recordingID, bytes: bytes, packets: count,
                durationMs: duration, ackedSeq: Int64(truncatingIfNeeded: sequence))
        } catch {
            throw fail(.io("cannot record progress: \(error)"))
        }
        durablePackets = count
        return Durable(sequence: sequence, packets: count)
    }

    /// Ends the part: the Ogg end-of-stream page and the last sealed segment, synced, and the part marked
    /// complete. With `endingCall` the call ends in the same transaction. A part that never started only ends
    /// the call.
    public func finish(endingCall: Bool, now: Date = Date()) async throws(RecordingError) {
        if let failed { throw failed }
        guard !finished else { return }
        finished = true
        guard let current = open else {
            if endingCall {
                do { try await storage.store.endCall(scope, callID: callID, now: now) } catch {
                    throw .io("cannot end call: \(error)")
                }
            }
            return
        }
        let pages = open?.ogg.finish() ?? []
        do {
            try seal(pages)
            guard let writer = sealer.take() else { throw RecordingError.damaged("the part's sealer is gone") }
            unwritten += try writer.finish()
        } catch let error as RecordingError {
            throw fail(error)
        } catch {
            throw fail(.damaged("\(error)"))
        }
        let bytes = try await writeUnwritten(to: current.file)
        open = nil
        let file = current.file
        try? await storage.onDisk { file.file.closeFile() }
        do {
            try await storage.store.finishRecording(
                scope, recordingID: current.recordingID, bytes: bytes, packets: packets, durationMs: durationMs,
                ackedSeq: lastSequence.map { Int64(truncatingIfNeeded: $0) }, endingCall: endingCall, now: now)
        } catch {
            throw fail(.io("cannot record the finished part: \(error)"))
        }
        logger.info(
            "recording part finished",
            metadata: ["recording_id": .string(current.recordingID), "packets": .stringConvertible(packets)])
    }

    /// Saves the hints a session showed and their feedback, for the call's summary.
    func saveHints(_ hints: [ShownHints.Entry], sessionID: String) async throws(RecordingError) {
        guard !hints.isEmpty else { return }
        let records = hints.map {
            CallHintRecord(
                scope: scope, callID: callID, hintID: $0.id, sessionID: sessionID, kind: $0.kind, speaker: $0.speaker,
                audioTimeMs: $0.audioTimeMs, confidence: $0.confidence, feedback: $0.feedback?.rawValue)
        }
        do { try await storage.store.saveHints(scope, callID: callID, records) } catch {
            throw .io("cannot record the call's hints: \(error)")
        }
    }

    /// The id of the summary job the call's end queued, once it has ended; `nil` before, or if it cannot be read.
    func summaryJobID() async -> String? {
        try? await storage.store.jobForCall(scope, callID: callID, kind: .summary)?.id
    }

    private var durationMs: Int { Int(samples48k / 48) }

    private func start(head: OpusHead) async throws(RecordingError) {
        let recordingID = RandomID.make(prefix: "rec")
        let relative = RecordingStorage.relativePath(scope, callID: callID, recordingID: recordingID)
        let path = storage.absolutePath(relative)
        let dataKey = DataKeyWrapper.newDataKey()
        let wrapped: WrappedDataKey
        let writer: SealedBlobWriter
        do {
            wrapped = try storage.keys.current.wrap(
                dataKey: dataKey, org: scope.org, env: scope.env.rawValue, objectID: recordingID)
            writer = try SealedBlobWriter(
                objectID: recordingID,
                keyReference: SealedBlobKeyReference(
                    org: scope.org, env: scope.env.rawValue, kekVersion: wrapped.kekVersion),
                dataKey: dataKey)
        } catch {
            throw fail(.keys("\(error)"))
        }
        let file: BlobFileHandle
        do {
            file = try await storage.onDisk {
                try BlobFile.ensureDirectory(String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]))
                return BlobFileHandle(file: try BlobFile(creating: path))
            }
        } catch let error as RecordingError {
            throw fail(error)
        } catch {
            throw fail(.io("cannot create \(relative): \(error)"))
        }
        do {
            try await storage.store.insertRecording(
                RecordingRecord(
                    id: recordingID, scope: scope, callID: callID, part: part, path: relative,
                    wrappedKey: Data(wrapped.bytes), kekVersion: Int(wrapped.kekVersion), createdAt: Date()))
        } catch {
            throw fail(.io("cannot record the new part: \(error)"))
        }
        var ogg = OggOpusWriter(head: head, serial: UInt32.random(in: .min ... .max))
        let headers = ogg.headerPages()
        sealer = consume writer
        open = OpenPart(recordingID: recordingID, file: file, ogg: ogg)
        try seal(headers)
        logger.info("recording part started", metadata: ["recording_id": .string(recordingID), "part": "\(part)"])
    }

    private func seal(_ plaintext: [UInt8]) throws(RecordingError) {
        guard !plaintext.isEmpty else { return }
        guard var writer = sealer.take() else { throw fail(.damaged("the part's sealer is gone")) }
        let sealed: Result<[UInt8], SealedBlobError>
        do throws(SealedBlobError) { sealed = .success(try writer.append(plaintext)) } catch { sealed = .failure(error) }
        sealer = consume writer
        switch sealed {
        case .success(let bytes): unwritten += bytes
        case .failure(let error): throw fail(.damaged("\(error)"))
        }
    }

    /// Appends the sealed bytes not yet written, synced, behind any write still running; returns the file's
    /// length once they and all before them are on disk.
    private func writeUnwritten(to file: BlobFileHandle) async throws(RecordingError) -> Int {
        let bytes = unwritten
        unwritten = []
        let previous = writes
        let storage = storage
        let task = Task {
            try await previous?.value
            try await storage.onDisk {
                try file.file.append(bytes)
                try file.file.sync()
            }
        }
        writes = task
        do { try await task.value } catch let error as RecordingError { throw fail(error) } catch {
            throw fail(.io("\(error)"))
        }
        fileBytes += bytes.count
        return fileBytes
    }

    private func fail(_ error: RecordingError) -> RecordingError {
        if failed == nil {
            failed = error
            logger.error("recording failed", metadata: ["reason": .string(error.description)])
        }
        return error
    }
}

/// Carries a `BlobFile` into the thread pool. Safe because the recorder orders every use of it: one write at a
/// time, each behind the one before.
final class BlobFileHandle: @unchecked Sendable {
    let file: BlobFile
    init(file: BlobFile) { self.file = file }
}
