import Foundation
import Hummingbird
import NIOCore

/// Reads a request's JSON body within a size limit, turning every way it can be wrong into a 400 whose reason
/// names the field, never echoing the body itself.
enum JSONRequestBody {
    /// The most any body of the REST API may hold.
    static let maxBytes = 64 * 1024

    /// The body decoded as `type`; missing fields, wrong types, bad JSON and oversized bodies are refused.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maxBytes)
        } catch is NIOTooManyBytesError {
            throw RequestRefusal.badRequest("the body must be at most \(maxBytes / 1024) KiB of JSON")
        }
        guard buffer.readableBytes > 0 else { throw RequestRefusal.badRequest("the body must be a JSON object") }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(T.self, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            throw RequestRefusal.badRequest(reason(error))
        }
    }

    private static func reason(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _):
            "\(snakeCase(key)) is required"
        case .valueNotFound(let type, let context), .typeMismatch(let type, let context):
            context.codingPath.last.map { "\(snakeCase($0)) must be \(kind(type))" } ?? "the body must be a JSON object"
        case .dataCorrupted(let context):
            context.codingPath.last.map { "\(snakeCase($0)) is not a valid value" } ?? "the body is not valid JSON"
        @unknown default:
            "the body is not valid JSON"
        }
    }

    private static func kind(_ type: Any.Type) -> String {
        switch type {
        case is Bool.Type: "true or false"
        case is Int.Type: "an integer"
        case is Double.Type: "a number"
        case is String.Type: "a string"
        default: "a JSON value of another type"
        }
    }

    /// The key as the client wrote it: decoding converted it from snake_case.
    private static func snakeCase(_ key: any CodingKey) -> String {
        var out = ""
        for character in key.stringValue {
            if character.isUppercase {
                out += "_" + character.lowercased()
            } else {
                out.append(character)
            }
        }
        return out
    }
}
