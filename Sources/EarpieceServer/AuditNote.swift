import Foundation
import NIOConcurrencyHelpers

/// What a route adds to its request's audit event: an admin change's value before and after, as JSON.
///
/// The request context is a value that each middleware copies, so the note is a shared box: a route writes
/// into it and `AuditMiddleware`, holding the same box, reads it once the route has answered.
final class AuditNote: Sendable {
    /// The JSON texts of one change.
    struct Change: Sendable, Equatable {
        var before: String?
        var after: String?
    }

    private let change = NIOLockedValueBox(Change())

    /// The change recorded so far (both `nil` for a request that changed nothing).
    var recorded: Change { change.withLockedValue { $0 } }

    /// Records a change from `before` to `after`, each encoded as compact JSON with sorted keys.
    func recordChange(before: some Encodable, after: some Encodable) {
        let encoded = Change(before: Self.json(before), after: Self.json(after))
        change.withLockedValue { $0 = encoded }
    }

    private static func json(_ value: some Encodable) -> String? {
        (try? JSONResponse.encoder().encode(value)).map { String(decoding: $0, as: UTF8.self) }
    }
}
