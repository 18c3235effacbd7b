import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The gateway under load: where its streams open and where its calls are read back.
struct LoadTarget: Sendable {
    /// `http://host:port` or `https://…`, no path.
    var baseURL: String

    /// Accepts `ws://`, `wss://`, `http://` or `https://` with a host and an optional port, nothing after.
    init(url: String) throws(LoadgenFailure) {
        var text = url
        while text.hasSuffix("/") { text.removeLast() }
        guard let parsed = URL(string: text), let scheme = parsed.scheme, parsed.host != nil,
              parsed.path.isEmpty, parsed.query == nil, parsed.fragment == nil
        else { throw LoadgenFailure("--url must be like ws://127.0.0.1:8080, not \"\(url.prefix(80))\"") }
        switch scheme {
        case "ws", "http": baseURL = "http" + text.dropFirst(scheme.count)
        case "wss", "https": baseURL = "https" + text.dropFirst(scheme.count)
        default: throw LoadgenFailure("--url must be ws, wss, http or https, not \(scheme)")
        }
    }

    func streamURL(channels: Int) -> String {
        let socket = baseURL.hasPrefix("https") ? "wss" + baseURL.dropFirst(5) : "ws" + baseURL.dropFirst(4)
        return "\(socket)/v1/stream?channels=\(channels)&container=raw"
    }

    /// The packets the call's recording holds (`GET /v1/calls/{id}`), or nil when it cannot be read.
    func storedPackets(callID: String, token: String) async -> Int? {
        struct Call: Decodable {
            struct Recording: Decodable { var packets: Int }
            var recording: Recording?
        }
        guard let url = URL(string: "\(baseURL)/v1/calls/\(callID)") else { return nil }
        var request = URLRequest(url: url)
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        guard let (data, response) = try? await URLSession.shared.data(for: request),
              (response as? HTTPURLResponse)?.statusCode == 200,
              let call = try? JSONDecoder().decode(Call.self, from: data)
        else { return nil }
        return call.recording?.packets ?? 0
    }

    /// Whether `GET /healthz` answers 200.
    func isHealthy() async -> Bool {
        guard let url = URL(string: "\(baseURL)/healthz"),
              let (_, response) = try? await URLSession.shared.data(from: url)
        else { return false }
        return (response as? HTTPURLResponse)?.statusCode == 200
    }
}
