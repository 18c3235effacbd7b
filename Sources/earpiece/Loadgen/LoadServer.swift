import Foundation

/// A gateway the load generator starts for itself: this executable's `serve`, on a fresh data directory and a
/// free port, with settings that put every call in one tier (`docs/loadgen.md`).
final class LoadServer: Sendable {
    let target: LoadTarget
    let dataDirectory: String
    let pid: Int32
    private let process: Process
    /// The temporary folder to remove when the gateway stops; nil with `--keep`.
    private let removeOnStop: String?

    /// The settings for `calls` concurrent calls of `tier`, as `EARPIECE_*` variables; `extra` (from
    /// `--server-setting key=value`) goes last and wins.
    static func settings(tier: String, calls: Int, extra: [String: String]) -> [String: String] {
        let decoders = String(2 * calls)
        var settings = [
            "max_streams": String(calls + 10),
            "max_streams_per_org": String(calls + 10),
            "summary_worker": "false",
            "transcript_decoders": tier == "transcript" ? decoders : "0",
            "keyphrase_decoders": tier == "keyphrase" ? decoders : "0",
        ]
        settings.merge(extra) { $1 }
        return settings
    }

    init(executable: String, settings: [String: String], keepData: Bool) async throws(LoadgenFailure) {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("earpiece-loadgen-\(ProcessInfo.processInfo.processIdentifier)").path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch { throw LoadgenFailure("cannot create \(directory): \(error)") }
        let port = try Self.freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["serve", "--data-dir", directory + "/data", "--host", "127.0.0.1", "--port", String(port)]
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("EARPIECE_") }
        for (key, value) in settings { environment["EARPIECE_" + key.uppercased()] = value }
        process.environment = environment
        let logPath = directory + "/server.log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = FileHandle(forWritingAtPath: logPath)
        process.standardOutput = log
        process.standardError = log
        do { try process.run() } catch { throw LoadgenFailure("cannot start \(executable) serve: \(error)") }
        self.process = process
        self.pid = process.processIdentifier
        self.dataDirectory = directory + "/data"
        self.target = try LoadTarget(url: "http://127.0.0.1:\(port)")
        self.removeOnStop = keepData ? nil : directory
        let started = ContinuousClock.now
        while !(await target.isHealthy()) {
            guard process.isRunning, ContinuousClock.now - started < .seconds(120) else {
                stop(removing: false)
                throw LoadgenFailure("the gateway did not start; its log is \(logPath)")
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Stops the gateway (SIGTERM, so it shuts down as it would in production) and waits for it.
    func stop(removing: Bool = true) {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        if removing, let directory = removeOnStop { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// A port nothing listens on now: bound to 0, read back, closed.
    private static func freePort() throws(LoadgenFailure) -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw LoadgenFailure("cannot open a socket to find a free port") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(socket, raw, length) == 0 && getsockname(socket, raw, &length) == 0
            }
        }
        guard bound else { throw LoadgenFailure("cannot bind a socket to find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
