#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a benchmark's sealed bytes go: an array in memory, or a new file that each `sync` writes and fsyncs,
/// as `CallRecorder` writes its part file (one write and one fsync per flush, after syncing the directory once).
struct SealedSink: ~Copyable {
    /// In memory: the whole file so far. On disk: bytes added since the last `sync`.
    private(set) var bytes: [UInt8] = []
    private var descriptor: Int32 = -1
    private let path: String?
    /// Bytes that reached the file or the array.
    private(set) var count = 0

    /// A sink that keeps everything in memory; `capacity` spares the benchmark regrowing the array.
    init(reservingCapacity capacity: Int) {
        bytes.reserveCapacity(capacity)
        path = nil
    }

    /// A sink that creates `path`, which must not exist, and writes and syncs it at each `sync`; the file is
    /// removed when the sink ends, so that repeated iterations do not fill the disk.
    init(creating path: String, directory: String) throws(SinkError) {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw SinkError(operation: "create \(path)", errno: errno) }
        // The recorder syncs the directory too, so that the new file's name survives a crash.
        let directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directoryDescriptor >= 0 else { throw SinkError(operation: "open \(directory)", errno: errno) }
        defer { close(directoryDescriptor) }
        guard fsync(directoryDescriptor) == 0 else { throw SinkError(operation: "sync \(directory)", errno: errno) }
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        if let path { unlink(path) }
    }

    mutating func add(_ sealed: some Collection<UInt8>) {
        bytes += sealed
        if path == nil { count += sealed.count }
    }

    /// On disk: writes what was added since the last sync and fsyncs the file. In memory: nothing to do.
    mutating func sync() throws(SinkError) {
        guard path != nil else { return }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                write(descriptor, raw.baseAddress.map { $0 + offset }, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw SinkError(operation: "write", errno: errno)
            }
            offset += written
        }
        guard fsync(descriptor) == 0 else { throw SinkError(operation: "fsync", errno: errno) }
        count += bytes.count
        bytes.removeAll(keepingCapacity: true)
    }
}

/// A file operation of the on-disk sink failed; the benchmark reports it and measures nothing.
struct SinkError: Error, CustomStringConvertible {
    var operation: String
    var errno: Int32
    var description: String { "cannot \(operation): \(String(cString: strerror(errno)))" }
}
