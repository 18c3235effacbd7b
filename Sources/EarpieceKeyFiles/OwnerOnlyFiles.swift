#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The few file operations that key files need (the dev signing key, the JWKS file, the keyring), on POSIX calls so that modes are set when a file is created
/// rather than fixed afterwards.
/// Why a key file could not be created, read or replaced; the reason names the file and what to do.
public struct KeyFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
    init(_ reason: String) { self.reason = reason }
}

public enum OwnerOnlyFiles {
    /// Whether a mode lets the group or others do anything at all.
    public static func isSharedWithOthers(_ mode: mode_t) -> Bool {
        mode & 0o077 != 0
    }

    public static func octal(_ mode: mode_t) -> String {
        String(UInt32(mode & 0o7777), radix: 8)
    }

    /// Creates `path` (and missing parents) as directories that only the owner may enter; refuses an existing
    /// `path` that the group or others can use.
    public static func ensurePrivateDirectory(_ path: String) throws(KeyFileError) {
        var status = stat()
        if stat(path, &status) == 0 {
            guard status.st_mode & S_IFMT == S_IFDIR else {
                throw KeyFileError("\(path) is not a directory")
            }
            guard !isSharedWithOthers(status.st_mode) else {
                throw KeyFileError(
                    "\(path) is open to group or others (mode \(octal(status.st_mode))); run `chmod 700 \(path)`")
            }
            return
        }
        guard errno == ENOENT else { throw KeyFileError("cannot inspect \(path): \(errorText())") }
        let parent = parentDirectory(of: path)
        if parent != path, !parent.isEmpty, stat(parent, &status) != 0 {
            try ensureDirectory(parent)
        }
        // mkdir's mode can only lose bits to the umask; chmod afterwards restores the owner's.
        guard mkdir(path, 0o700) == 0 || errno == EEXIST else {
            throw KeyFileError("cannot create \(path): \(errorText())")
        }
        guard chmod(path, 0o700) == 0 else { throw KeyFileError("cannot set the mode of \(path): \(errorText())") }
    }

    /// Creates missing directories on the way to `path` with mode 0700, leaving existing ones alone.
    private static func ensureDirectory(_ path: String) throws(KeyFileError) {
        var status = stat()
        if stat(path, &status) == 0 { return }
        let parent = parentDirectory(of: path)
        if parent != path, !parent.isEmpty { try ensureDirectory(parent) }
        guard mkdir(path, 0o700) == 0 || errno == EEXIST else {
            throw KeyFileError("cannot create \(path): \(errorText())")
        }
    }

    /// The contents of a regular file that only its owner may read, or `nil` if there is no file at `path`.
    public static func readOwnerOnlyFile(_ path: String, maximumSize: Int) throws(KeyFileError) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            if errno == ELOOP { throw KeyFileError("\(path) is a symbolic link; a key file must be a regular file") }
            throw KeyFileError("cannot open \(path): \(errorText())")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw KeyFileError("cannot inspect \(path): \(errorText())") }
        guard status.st_mode & S_IFMT == S_IFREG else { throw KeyFileError("\(path) is not a regular file") }
        guard !isSharedWithOthers(status.st_mode) else {
            throw KeyFileError(
                "\(path) is readable or writable by group or others (mode \(octal(status.st_mode))); "
                    + "run `chmod 600 \(path)`")
        }
        return try readAll(descriptor, path: path, maximumSize: maximumSize)
    }

    /// The contents of a regular file that anyone may read but only its owner may change (for public keys:
    /// whoever can write the file can choose whose tokens are trusted).
    public static func readOwnerWritableFile(_ path: String, maximumSize: Int) throws(KeyFileError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw KeyFileError("cannot open \(path): \(errorText())") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw KeyFileError("cannot inspect \(path): \(errorText())") }
        guard status.st_mode & S_IFMT == S_IFREG else { throw KeyFileError("\(path) is not a regular file") }
        guard status.st_mode & 0o022 == 0 else {
            throw KeyFileError(
                "\(path) is writable by group or others (mode \(octal(status.st_mode))); run `chmod go-w \(path)`")
        }
        return try readAll(descriptor, path: path, maximumSize: maximumSize)
    }

    /// Replaces `path` with `contents` atomically: a 0600 temporary file, synced, then renamed over `path`, so a
    /// crash leaves either the old keyring or the new one, never half of one.
    public static func replaceOwnerOnlyFile(_ path: String, contents: [UInt8]) throws(KeyFileError) {
        let temporary = "\(parentDirectory(of: path))/.\(lastComponent(of: path)).\(randomHex(bytes: 8)).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw KeyFileError("cannot create \(temporary): \(errorText())") }
        do {
            defer { close(descriptor) }
            guard fchmod(descriptor, 0o600) == 0 else {
                unlink(temporary)
                throw KeyFileError("cannot set the mode of \(temporary): \(errorText())")
            }
            do {
                try writeAll(descriptor, contents, path: temporary)
            } catch {
                unlink(temporary)
                throw error
            }
            guard fsync(descriptor) == 0 else {
                unlink(temporary)
                throw KeyFileError("cannot sync \(temporary): \(errorText())")
            }
        }
        guard rename(temporary, path) == 0 else {
            let reason = errorText()
            unlink(temporary)
            throw KeyFileError("cannot replace \(path): \(reason)")
        }
        syncDirectory(parentDirectory(of: path))
    }

    /// Writes `contents` to `path` with mode 0600 unless a file is already there; returns whether it wrote.
    ///
    /// The bytes go to a temporary file opened with `O_CREAT | O_EXCL` and mode 0600 (so it is never readable by
    /// anyone else, whatever the umask), are synced, and are then hard-linked into place: `link` fails if `path`
    /// exists, so two processes starting at once agree on one key, and a crash never leaves a half-written key.
    public static func createOwnerOnlyFile(_ path: String, contents: [UInt8]) throws(KeyFileError) -> Bool {
        let temporary = "\(parentDirectory(of: path))/.\(lastComponent(of: path)).\(randomHex(bytes: 8)).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw KeyFileError("cannot create \(temporary): \(errorText())") }
        defer { unlink(temporary) }
        do {
            defer { close(descriptor) }
            guard fchmod(descriptor, 0o600) == 0 else {
                throw KeyFileError("cannot set the mode of \(temporary): \(errorText())")
            }
            try writeAll(descriptor, contents, path: temporary)
            guard fsync(descriptor) == 0 else {
                throw KeyFileError("cannot sync \(temporary): \(errorText())")
            }
        }
        guard link(temporary, path) == 0 else {
            switch errno {
            case EEXIST:
                return false
            case EPERM, EOPNOTSUPP, ENOTSUP:
                // Some volumes (FUSE, vfat, some container mounts) have no hard links.
                return try createExclusively(path, contents: contents)
            default:
                throw KeyFileError("cannot create \(path): \(errorText())")
            }
        }
        syncDirectory(parentDirectory(of: path))
        return true
    }

    /// Writes `contents` straight to a new file at `path` with mode 0600; a crash part-way leaves a file that
    /// the next load refuses as damaged, rather than a weaker key.
    private static func createExclusively(_ path: String, contents: [UInt8]) throws(KeyFileError) -> Bool {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            if errno == EEXIST { return false }
            throw KeyFileError("cannot create \(path): \(errorText())")
        }
        defer { close(descriptor) }
        guard fchmod(descriptor, 0o600) == 0 else {
            throw KeyFileError("cannot set the mode of \(path): \(errorText())")
        }
        try writeAll(descriptor, contents, path: path)
        guard fsync(descriptor) == 0 else { throw KeyFileError("cannot sync \(path): \(errorText())") }
        syncDirectory(parentDirectory(of: path))
        return true
    }

    public static func randomHex(bytes count: Int) -> String {
        let digits = Array("0123456789abcdef")
        var generator = SystemRandomNumberGenerator()
        return String(
            (0..<count).flatMap { _ -> [Character] in
                let byte = UInt8.random(in: 0...255, using: &generator)
                return [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
            })
    }

    public static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    private static func readAll(_ descriptor: Int32, path: String, maximumSize: Int) throws(KeyFileError) -> [UInt8] {
        var contents = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw KeyFileError("cannot read \(path): \(errorText())")
            }
            if count == 0 { return contents }
            contents.append(contentsOf: buffer[0..<count])
            guard contents.count <= maximumSize else {
                throw KeyFileError("\(path) is larger than \(maximumSize) bytes")
            }
        }
    }

    private static func writeAll(_ descriptor: Int32, _ bytes: [UInt8], path: String) throws(KeyFileError) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw KeyFileError("cannot write \(path): \(errorText())")
            }
            offset += count
        }
    }

    private static func syncDirectory(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    private static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let parent = String(path[..<slash])
        return parent.isEmpty ? "/" : parent
    }

    private static func lastComponent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    private static func errorText() -> String {
        String(cString: strerror(errno))
    }
}
