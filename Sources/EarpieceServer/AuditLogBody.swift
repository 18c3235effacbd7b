import EarpieceStore
import Foundation

/// A page of `GET /v1/admin/audit`: events in time order, and the id to pass as `after` for the next page.
struct AuditLogBody: Encodable {
    /// One event as the API shows it; its tenant is the caller's, so it is left out.
    struct Event: Encodable {
        var id: Int64?
        var userID: String
        var method: String
        var route: String
        var status: Int
        var occurredAt: Date
        var durationMs: Int
        var target: String?
        var before: JSONValue?
        var after: JSONValue?

        private enum CodingKeys: CodingKey {
            case id, userID, method, route, status, occurredAt, durationMs, target, before, after
        }

        // Absent values are written as null, so every event has the same keys.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(userID, forKey: .userID)
            try container.encode(method, forKey: .method)
            try container.encode(route, forKey: .route)
            try container.encode(status, forKey: .status)
            try container.encode(occurredAt, forKey: .occurredAt)
            try container.encode(durationMs, forKey: .durationMs)
            try container.encode(target, forKey: .target)
            try container.encode(before, forKey: .before)
            try container.encode(after, forKey: .after)
        }
    }

    var events: [Event]
    /// The last event's id when the page is full (there may be more), otherwise `nil`.
    var nextAfter: Int64?

    init(events: [AuditEvent], limit: Int) {
        self.events = events.map { event in
            Event(
                id: event.id, userID: event.userID, method: event.method, route: event.route, status: event.status,
                occurredAt: event.occurredAt, durationMs: event.durationMs, target: event.target,
                before: event.before.map(JSONValue.init(parsing:)), after: event.after.map(JSONValue.init(parsing:)))
        }
        nextAfter = events.count == limit ? events.last?.id : nil
    }

    private enum CodingKeys: CodingKey {
        case events, nextAfter
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(events, forKey: .events)
        try container.encode(nextAfter, forKey: .nextAfter)
    }
}
