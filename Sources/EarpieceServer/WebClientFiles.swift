import Foundation

/// The web client's files: a flat directory of HTML, JavaScript, CSS and SVG files, read on each request so
/// that a `web_root` being edited shows on reload. Only plain names with a known extension are ever opened.
struct WebClientFiles: Sendable {
    /// One file and the content type it is served with.
    struct File: Sendable {
        var bytes: Data
        var contentType: String
    }

    let directory: URL?

    static let contentTypes: [String: String] = [
        "html": "text/html; charset=utf-8",
        "js": "text/javascript; charset=utf-8",
        "css": "text/css; charset=utf-8",
        "svg": "image/svg+xml",
        "json": "application/json; charset=utf-8",
    ]
    /// The largest file served; the client's files are a few tens of kilobytes.
    static let maxBytes = 4 << 20

    /// The files in `root` when it is given, else the copies built beside the executable
    /// (`Earpiece_EarpieceServer.resources/web`); `directory` is nil when neither exists.
    init(root: String?) {
        if let root, !root.isEmpty {
            directory = Self.existingDirectory(URL(fileURLWithPath: root, isDirectory: true))
            return
        }
        directory = Bundle.main.executableURL.flatMap { executable in
            Self.existingDirectory(executable.resolvingSymlinksInPath().deletingLastPathComponent()
                .appendingPathComponent("Earpiece_EarpieceServer.resources", isDirectory: true)
                .appendingPathComponent("web", isDirectory: true))
        }
    }

    /// The file called `name`, or nil when there is none or the name is not a plain `word.ext`.
    func file(named name: Substring) -> File? {
        guard let directory, Self.isPlainName(name),
              let dot = name.lastIndex(of: "."), let type = Self.contentTypes[String(name[name.index(after: dot)...])]
        else { return nil }
        let url = directory.appendingPathComponent(String(name), isDirectory: false)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
              attributes[.type] as? FileAttributeType == .typeRegular,
              let size = attributes[.size] as? Int, size <= Self.maxBytes,
              let bytes = try? Data(contentsOf: url)
        else { return nil }
        return File(bytes: bytes, contentType: type)
    }

    /// Letters, digits, `-` and `_`, one dot before the extension: no paths, no hidden files.
    static func isPlainName(_ name: Substring) -> Bool {
        guard (3...64).contains(name.count), name.filter({ $0 == "." }).count == 1, name.first != "." else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }
    }

    private static func existingDirectory(_ url: URL) -> URL? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else { return nil }
        return url
    }
}
