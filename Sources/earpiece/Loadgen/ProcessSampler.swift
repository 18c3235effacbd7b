import Foundation

/// A process's CPU time and resident memory, read from `/proc` (Linux).
struct ProcessUsage: Sendable {
    /// User + system CPU seconds since the process started.
    var cpuSeconds: Double
    /// Resident set size in bytes (`VmRSS`).
    var residentBytes: Int

    private static let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    /// `pid` nil reads this process. Nil when the process is gone or `/proc` is not there.
    static func read(pid: Int32?) -> ProcessUsage? {
        let directory = pid.map { "/proc/\($0)" } ?? "/proc/self"
        guard let stat = try? String(contentsOfFile: directory + "/stat", encoding: .utf8),
              let status = try? String(contentsOfFile: directory + "/status", encoding: .utf8),
              let nameEnd = stat.lastIndex(of: ")")
        else { return nil }
        // After the command name (which may hold spaces and parentheses): state, ppid, … utime is the 12th
        // field from there, stime the 13th (proc(5): fields 14 and 15).
        let fields = stat[stat.index(after: nameEnd)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        var resident = 0
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            resident = (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
        }
        return ProcessUsage(cpuSeconds: (user + system) / ticksPerSecond, residentBytes: resident)
    }
}

/// Samples of the server's and the load generator's usage, once a second through a step.
struct UsageSample: Sendable {
    /// On the load generator's clock.
    var at: UInt64
    var server: ProcessUsage?
    var loadgen: ProcessUsage?
    /// Streams sending audio at the moment.
    var sending: Int
}
