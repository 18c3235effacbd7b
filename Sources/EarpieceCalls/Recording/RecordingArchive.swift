import Crypto
import EarpieceAudio
import EarpieceStore
import EarpieceVault
import Foundation

/// Reads recordings back: a call's parts, decrypted and joined into one Ogg Opus stream.
public struct RecordingArchive: Sendable {
    let storage: RecordingStorage

    public init(storage: RecordingStorage) {
        self.storage = storage
    }

    /// The audio of one part file: its format and its packets.
    struct PartAudio {
        var head: OpusHead?
        var packets: [[UInt8]]
        /// Whether the file was complete and authentic to its last segment.
        var isComplete: Bool
    }

    /// Writes the call's recording to `emit` as one Ogg Opus stream, a part at a time.
    ///
    /// Every part is read strictly: a part that does not authenticate to its end is an error, never a silently
    /// shorter recording. Parts are joined into a single logical stream whose serial number comes from the call
    /// id, so the same recording always exports the same bytes (before and after a key rotation alike).
    public func export(
        _ scope: TenantScope, callID: String, emit: @Sendable ([UInt8]) async throws -> Void
    ) async throws {
        guard try await storage.store.call(scope, id: callID) != nil else { throw RecordingError.notFound(callID) }
        let parts = try await storage.store.recordings(scope, callID: callID)
        guard !parts.isEmpty else { throw RecordingError.notFound(callID) }
        guard !parts.contains(where: { $0.status == .shredded }) else { throw RecordingError.deleted(callID) }
        var writer: OggOpusWriter?
        for part in parts where part.status != .open || part.packets > 0 {
            let audio = try await read(part, scope, strict: part.status != .open)
            guard let head = audio.head else { continue }
            var out: [UInt8] = []
            if writer == nil {
                var first = OggOpusWriter(head: head, serial: Self.serial(callID: callID))
                out += first.headerPages()
                writer = first
            }
            guard var current = writer else { continue }
            for packet in audio.packets {
                do { out += try current.append(packet) } catch {
                    throw RecordingError.damaged("part \(part.part): \(error)")
                }
            }
            out += current.flush()
            writer = current
            try await emit(out)
        }
        guard var last = writer else { throw RecordingError.notFound(callID) }
        try await emit(last.finish())
    }

    /// The whole export in memory, for the command line and tests.
    public func exportBytes(_ scope: TenantScope, callID: String) async throws -> [UInt8] {
        let collected = Collected()
        try await export(scope, callID: callID) { await collected.add($0) }
        return await collected.bytes
    }

    /// Decrypts one part. Strict reading demands the whole file; lenient reading (for recovery, or a part still
    /// being written) keeps the packets of the authentic prefix.
    func read(_ part: RecordingRecord, _ scope: TenantScope, strict: Bool) async throws -> PartAudio {
        guard let wrappedBytes = part.wrappedKey else { throw RecordingError.deleted(part.callID) }
        let dataKey: SymmetricKey
        do {
            dataKey = try storage.keys.current.unwrap(
                WrappedDataKey(bytes: [UInt8](wrappedBytes)), org: scope.org, env: scope.env.rawValue,
                objectID: part.id)
        } catch {
            throw RecordingError.keys("part \(part.part) of \(part.callID): \(error)")
        }
        let path = storage.absolutePath(part.path)
        let sealed = try await storage.onDisk { try BlobFile.readAll(path) }
        let plaintext: [UInt8]
        let complete: Bool
        if strict {
            do { plaintext = try SealedBlobReader.open(sealed, dataKey: dataKey) } catch {
                throw RecordingError.damaged("part \(part.part) of \(part.callID): \(error)")
            }
            complete = true
        } else {
            let recovery = SealedBlobReader.recover(sealed, dataKey: dataKey)
            plaintext = recovery.plaintext
            complete = recovery.isComplete
        }
        // A part whose connection crashed before its first flush is recovered as an authentic file with no audio:
        // nothing to export, not damage.
        if plaintext.isEmpty, complete { return PartAudio(head: nil, packets: [], isComplete: true) }
        var reader = OggOpusReader()
        var packets: [[UInt8]] = []
        do {
            packets = try reader.push(plaintext).map(\.data)
            if strict { try reader.finish() }
        } catch {
            // A lenient read keeps every packet of the pages that parsed; a strict one wants them all.
            if strict { throw RecordingError.damaged("part \(part.part) of \(part.callID): \(error)") }
        }
        return PartAudio(head: reader.head, packets: packets, isComplete: complete)
    }

    /// A serial number from the call id (FNV-1a), so that exports are reproducible.
    static func serial(callID: String) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in callID.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return hash
    }
}

private actor Collected {
    var bytes: [UInt8] = []
    func add(_ chunk: [UInt8]) { bytes += chunk }
}
