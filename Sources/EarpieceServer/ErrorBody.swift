import Foundation
import HTTPTypes
import Hummingbird

/// The JSON body of every refusal: `{"error":"unauthorized","reason":"token expired"}`.
struct ErrorBody: Encodable {
    var error: String
    var reason: String
    var retryAfterMs: Int?

    /// A response with this body and `status`.
    static func response(_ status: HTTPResponse.Status, _ error: String, _ reason: String) -> Response {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = .sortedKeys
        let data = (try? encoder.encode(ErrorBody(error: error, reason: reason))) ?? Data(#"{"error":"internal_error"}"#.utf8)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// A refusal thrown from a route or middleware, answered with `ErrorBody`.
struct RequestRefusal: HTTPResponseError {
    var status: HTTPResponse.Status
    var error: String
    var reason: String

    static func unauthorized(_ reason: String) -> Self { .init(status: .unauthorized, error: "unauthorized", reason: reason) }
    static func forbidden(_ reason: String) -> Self { .init(status: .forbidden, error: "forbidden", reason: reason) }
    static func badRequest(_ reason: String) -> Self { .init(status: .badRequest, error: "bad_request", reason: reason) }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = ErrorBody.response(status, error, reason)
        if status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer" }
        return response
    }
}
