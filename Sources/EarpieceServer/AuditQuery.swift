import Foundation
import Hummingbird

/// The query of `GET /v1/admin/audit`, checked: `from` and `to` (RFC 3339), `after` (an event id), `limit`.
struct AuditQuery: Sendable, Equatable {
    var from: Date?
    var to: Date?
    var after: Int64?
    var limit: Int

    init(_ query: Parameters) throws(RequestRefusal) {
        from = try Self.time(query, "from")
        to = try Self.time(query, "to")
        if let raw = query.get("after") {
            guard let id = Int64(raw), id >= 0 else { throw .badRequest("after must be an event id") }
            after = id
        }
        limit = AdminRoutes.defaultAuditLimit
        if let raw = query.get("limit") {
            let bounds = AdminRoutes.auditLimits
            guard let value = Int(raw), bounds.contains(value) else {
                throw .badRequest("limit must be \(bounds.lowerBound) to \(bounds.upperBound)")
            }
            limit = value
        }
        if let from, let to, to < from { throw .badRequest("to must not be before from") }
    }

    private static func time(_ query: Parameters, _ name: String) throws(RequestRefusal) -> Date? {
        guard let raw = query.get(name) else { return nil }
        guard let date = RFC3339.date(raw) else {
            throw .badRequest("\(name) must be an RFC 3339 time, like 2025-03-01T09:30:00Z")
        }
        return date
    }
}
