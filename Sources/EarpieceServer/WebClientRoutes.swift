import Foundation
import HTTPTypes
import Hummingbird

/// The web client: the rep's page at `/`, the admin's at `/admin`, and their scripts and styles under
/// `/web/`. The pages hold no data; everything they show comes from the API with the user's token.
struct WebClientRoutes: Sendable {
    let files: WebClientFiles

    /// Scripts only from this origin, no inline script, no framing; the socket and the API are same-origin.
    static let securityHeaders: [(HTTPField.Name, String)] = [
        (.contentSecurityPolicy,
         "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"),
        (.xContentTypeOptions, "nosniff"),
        (.referrerPolicy, "no-referrer"),
        (.cacheControl, "no-cache"),
    ]

    func register(on router: Router<EarpieceRequestContext>) {
        router.get("/") { _, _ in try serve("index.html") }
        router.get("admin") { _, _ in try serve("admin.html") }
        router.get("web/:name") { _, context in
            try serve(context.parameters.get("name") ?? "")
        }
    }

    private func serve(_ name: String) throws -> Response {
        guard files.directory != nil else {
            throw RequestRefusal(
                status: .serviceUnavailable, error: "web_client_missing",
                reason: "the web client's files were not found (in web_root, or beside the executable when it is unset)")
        }
        guard let file = files.file(named: Substring(name)) else {
            throw RequestRefusal(status: .notFound, error: "not_found", reason: "no such file in the web client")
        }
        var response = Response(
            status: .ok, headers: [.contentType: file.contentType], body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
        for (field, value) in Self.securityHeaders { response.headers[field] = value }
        return response
    }
}

extension HTTPField.Name {
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
}
