import Crypto
import EarpieceAudio
import EarpieceVault

/// The pricing call's recording in one flush cadence, sealed once by our writer and once by the bare loop, so
/// that each side of a comparison works on the same buffers.
struct SealedRecording: Sendable {
    /// How the recorder flushed, as the benchmarks' names say it.
    let cadence: String
    let plaintext: RecordingPlaintext
    /// The file our writer produced, which our reader opens.
    let file: [UInt8]
    /// The plaintext of each segment of `file`, as our reader hands them out: the buffers the bare loop seals.
    let segments: [[UInt8]]
    /// The bare loop's records over `segments`, which the bare open reads.
    let bareSealed: [UInt8]

    init(cadence: String, plaintext: RecordingPlaintext) throws {
        self.cadence = cadence
        self.plaintext = plaintext
        var sink = SealedSink(reservingCapacity: plaintext.byteCount)
        try plaintext.seal(
            objectID: VaultInput.objectID, keyReference: VaultInput.keyReference, dataKey: VaultInput.dataKey,
            into: &sink)
        file = sink.bytes
        let header = try SealedBlobHeader.parse(file)
        var reader = try SealedBlobReader(header: header, dataKey: VaultInput.dataKey)
        reader.push(file[header.encodedLength...])
        var segments: [[UInt8]] = []
        while let segment = try reader.nextSegment() { segments.append(segment) }
        self.segments = segments
        var bare = SealedSink(reservingCapacity: plaintext.byteCount + 16 * segments.count)
        try VaultInput.bare.seal(segments, into: &bare, syncEach: false)
        bareSealed = bare.bytes
    }

    /// Segments and their mean plaintext size, for the benchmarks' names.
    var segmentSummary: String {
        "\(segments.count) segments, mean \(plaintext.byteCount / max(1, segments.count)) B"
    }
}
