import Hummingbird
import Prometheus

/// `/healthz` (the process answers), `/readyz` (it can take streams) and `/metrics` (Prometheus text).
struct HealthRoutes: Sendable {
    let registry: PrometheusCollectorRegistry
    let admission: StreamAdmission

    func register(on router: Router<EarpieceRequestContext>) {
        router.get("healthz") { _, _ in
            Self.json(#"{"status":"ok"}"#)
        }
        router.get("readyz") { _, _ -> Response in
            let open = admission.openStreams
            guard open < admission.maxStreams else {
                var response = Self.json(#"{"status":"full","open_streams":\#(open)}"#)
                response.status = .serviceUnavailable
                return response
            }
            return Self.json(#"{"status":"ready","open_streams":\#(open)}"#)
        }
        router.get("metrics") { _, _ -> Response in
            var buffer = [UInt8]()
            buffer.reserveCapacity(16 * 1024)
            registry.emit(into: &buffer)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
    }

    private static func json(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
