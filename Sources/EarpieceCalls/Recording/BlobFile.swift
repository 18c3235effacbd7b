#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An append-only file of sealed bytes, created owner-only and never reopened for writing.
///
/// Its calls block on the disk; callers run them on a thread pool, never on the concurrency pool.
final class BlobFile {
    let path: String
    private var descriptor: Int32

    /// Creates `path` exclusively (an existing file is never appended to: that could reuse a nonce) and syncs
    /// its directory, so that the file's name survives a crash as well as its bytes.
    init(creating path: String) throws(RecordingError) {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .io("cannot create \(path): \(Self.errorText())") }
        try Self.syncDirectory(of: path)
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Writes all of `bytes` at the end of the file.
    func append(_ bytes: [UInt8]) throws(RecordingError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                write(descriptor, raw.baseAddress! + offset, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw .io("cannot write \(path): \(Self.errorText())")
            }
            offset += written
        }
    }

    /// Makes everything written so far durable.
    func sync() throws(RecordingError) {
        guard fsync(descriptor) == 0 else { throw .io("cannot sync \(path): \(Self.errorText())") }
    }

    func closeFile() {
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
    }

    /// The whole file, for recovery and export.
    static func readAll(_ path: String) throws(RecordingError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .io("cannot open \(path): \(errorText())") }
        defer { close(descriptor) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .io("cannot read \(path): \(errorText())")
            }
            if count == 0 { return out }
            out += chunk[0..<count]
        }
    }

    /// Removes `path`; a file already gone counts as removed.
    static func remove(_ path: String) throws(RecordingError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw .io("cannot remove \(path): \(errorText())") }
        try? syncDirectory(of: path)
    }

    /// Creates `path` and its missing parents with mode 0700.
    static func ensureDirectory(_ path: String) throws(RecordingError) {
        var status = stat()
        if stat(path, &status) == 0 { return }
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            try ensureDirectory(String(path[..<slash]))
        }
        guard mkdir(path, 0o700) == 0 || errno == EEXIST else {
            throw .io("cannot create \(path): \(errorText())")
        }
    }

    private static func syncDirectory(of path: String) throws(RecordingError) {
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .io("cannot open \(directory): \(errorText())") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw .io("cannot sync \(directory): \(errorText())") }
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}
