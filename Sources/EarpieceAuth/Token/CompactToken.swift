#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A token checked for shape and its header read, before any key is involved.
///
/// Earpiece reads `alg` and `kid` itself rather than leaving them to jwt-kit, whose key collection falls back
/// to its default key for a `kid` it doesn't know and takes no notice of `alg` once a key is found.
struct CompactToken {
    /// The header's `alg`, as written.
    let algorithm: String
    /// The header's `kid`, if any.
    let keyID: String?
    /// Whether the third segment is empty, as in an unsecured (`alg: none`) token.
    let hasEmptySignature: Bool

    init(_ token: String, maximumLength: Int) throws(AuthError) {
        let bytes = token.utf8
        guard !bytes.isEmpty else { throw .missingToken }
        guard bytes.count <= maximumLength else {
            throw .malformedToken("longer than \(maximumLength) bytes")
        }
        let segments = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard segments.count == 3 else {
            throw .malformedToken("expected three base64url segments separated by dots")
        }
        guard segments.allSatisfy({ $0.allSatisfy(Base64URL.isAlphabet) }) else {
            throw .malformedToken("a segment is not unpadded base64url")
        }
        guard !segments[0].isEmpty, !segments[1].isEmpty else {
            throw .malformedToken("the header or the payload is empty")
        }
        guard let headerBytes = Base64URL.decode(String(decoding: segments[0], as: UTF8.self)),
            Base64URL.decode(String(decoding: segments[1], as: UTF8.self)) != nil,
            Base64URL.decode(String(decoding: segments[2], as: UTF8.self)) != nil
        else {
            throw .malformedToken("a segment is not unpadded base64url")
        }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: Data(headerBytes))
        } catch {
            throw .malformedToken("the header is not a JSON object with a string alg")
        }
        guard !header.hasCriticalExtensions else {
            // RFC 7515 §4.1.11: a recipient that doesn't understand a listed extension must refuse the token.
            throw .malformedToken("the header lists critical extensions (crit), which Earpiece does not support")
        }
        self.algorithm = header.alg
        self.keyID = header.kid
        self.hasEmptySignature = segments[2].isEmpty
    }

    private struct Header: Decodable {
        let alg: String
        let kid: String?
        let hasCriticalExtensions: Bool

        private enum CodingKeys: String, CodingKey {
            case alg, kid, crit
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.alg = try container.decode(String.self, forKey: .alg)
            self.kid = try container.decodeIfPresent(String.self, forKey: .kid)
            self.hasCriticalExtensions = container.contains(.crit)
        }
    }
}
