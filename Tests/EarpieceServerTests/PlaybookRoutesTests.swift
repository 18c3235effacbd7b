import Crypto
import EarpieceAuth
import EarpieceGuidance
import EarpieceServer
import EarpieceStore
import Foundation
import Testing

/// `/v1/admin/playbook`: the default until a tenant stores its own, validation with a path, admins only, and an
/// audit trail of revisions and hashes that never holds the hints' words.
@Suite("Playbook routes", .serialized)
struct PlaybookRoutesTests {
    static let custom = #"""
        {"version":1,"competitors":["Umbrella"],
         "intents":{"pricing_objection":{"title":"Price pushback","body":"Ask what the delay costs them.",
                                         "phrases":[{"text":"way too pricey","threshold":1e-25}]}},
         "budget":{"max_hints":3}}
        """#

    @Test func aTenantWithoutAPlaybookGetsTheDefault() async throws {
        try await Harness.withGateway { gateway in
            let admin = try await gateway.token(roles: ["admin"], user: "admin-1")
            let reply = try await REST.get(gateway, "/v1/admin/playbook", token: admin)
            #expect(reply.status == 200)
            #expect(reply.headers["cache-control"] == "no-store")
            let body = try reply.json(PlaybookJSON.self)
            #expect(body.source == "default")
            #expect(body.revision == 0)
            #expect(body.updated_at == nil && body.updated_by == nil)
            let shipped = try Playbook.loadDefault(from: Self.modelsDirectory.appendingPathComponent("playbook.json"), isKnownWord: { _ in true })
            #expect(body.playbook == shipped)
            #expect(body.sha256 == Self.hex(SHA256.hash(data: shipped.canonicalJSON())))
            // Every key is present even when its value is absent.
            #expect(reply.text.contains(#""updated_at":null"#))
        }
    }

    @Test func anAdminStoresAPlaybookAndReadsItBackAsTheNextRevision() async throws {
        try await Harness.withGateway { gateway in
            let admin = try await gateway.token(roles: ["admin"], user: "admin-1")
            let stored = try await REST.put(gateway, "/v1/admin/playbook", token: admin, json: Self.custom)
            #expect(stored.status == 200)
            let body = try stored.json(PlaybookJSON.self)
            #expect(body.source == "tenant")
            #expect(body.revision == 1)
            #expect(body.updated_by == "admin-1")
            #expect(body.playbook.competitors == ["Umbrella"])
            #expect(body.playbook.budget == HintBudget(maxHints: 3, windowSeconds: 120))
            #expect(body.playbook.intents.keys.sorted(by: { $0.rawValue < $1.rawValue }) == [.pricingObjection])
            #expect(body.playbook.intents[.pricingObjection]?.phrases == [Keyphrase("way too pricey", threshold: 1e-25)])

            let read = try await REST.get(gateway, "/v1/admin/playbook", token: admin)
            #expect(read.text == stored.text)
            let again = try await REST.put(gateway, "/v1/admin/playbook", token: admin, json: Self.custom)
            #expect(try again.json(PlaybookJSON.self).revision == 2)

            // Another tenant still has the default.
            let other = try await gateway.token(roles: ["admin"], org: "globex-inc", user: "admin-9")
            let theirs = try await REST.get(gateway, "/v1/admin/playbook", token: other).json(PlaybookJSON.self)
            #expect(theirs.source == "default")
            #expect(theirs.revision == 0)
        }
    }

    @Test func deletingGoesBackToTheDefaultAsANewRevision() async throws {
        try await Harness.withGateway { gateway in
            let admin = try await gateway.token(roles: ["admin"], user: "admin-1")
            _ = try await REST.put(gateway, "/v1/admin/playbook", token: admin, json: Self.custom)
            let reset = try await REST.send(gateway, "DELETE", "/v1/admin/playbook", token: admin)
            #expect(reset.status == 200)
            let body = try reset.json(PlaybookJSON.self)
            #expect(body.source == "default")
            #expect(body.revision == 2)
            #expect(body.playbook.competitors == ["Acme", "Globex"])
            #expect(try await REST.get(gateway, "/v1/admin/playbook", token: admin).text == reset.text)
        }
    }

    @Test func onlyAnAdminMayReadOrChangeThePlaybook() async throws {
        try await Harness.withGateway { gateway in
            for role in ["rep", "auditor"] {
                let token = try await gateway.token(roles: [role], user: "\(role)-1")
                for (method, body) in [("GET", nil), ("PUT", Self.custom), ("DELETE", nil)] as [(String, String?)] {
                    let reply = try await REST.send(gateway, method, "/v1/admin/playbook", token: token, body: body.map { Array($0.utf8) })
                    #expect(reply.status == 403, "\(role) \(method)")
                    #expect(reply.refusal?.error == "forbidden")
                }
            }
            let admin = try await gateway.token(roles: ["admin"], user: "admin-1")
            #expect(try await REST.get(gateway, "/v1/admin/playbook", token: admin).json(PlaybookJSON.self).revision == 0)
        }
    }

    @Test("an invalid playbook is refused with its path and a reason, and nothing is stored", arguments: [
        (#"{"version":1,"intents":{"pricing":{"title":"t","body":"b"}}}"#, "intents.pricing",
         "unknown intent \"pricing\"; known: pricing_objection, competitor_mention, timing_objection, authority_objection, next_step, buying_signal, churn_risk, security_concern"),
        (#"{"version":1,"intents":{"next_step":{"title":"t","body":"b","phrases":[{"text":"book a demo"},{"text":""}]}}}"#,
         "intents.next_step.phrases[1].text", "empty phrase"),
        (#"{"version":1,"intents":{"next_step":{"title":"t","body":"b","phrases":[{"text":"book a demo","threshold":0.5}]}}}"#,
         "intents.next_step.phrases[0].threshold", "must be from 1e-50 to 0.1, not 0.5"),
        (#"{"version":1,"intents":{"next_step":{"title":"t","body":"b","threshold":2}}}"#,
         "intents.next_step.threshold", "must be greater than 0 and at most 1, not 2.0"),
        (#"{"version":1,"intents":{"next_step":{"title":"t","body":"b","cooldown_s":"soon"}}}"#,
         "intents.next_step.cooldown_s", "must be a number"),
        (#"{"version":1,"intents":{"next_step":{"title":"t","body":"b"}"#, nil, "the playbook is not valid JSON"),
        // The gateway checks words against the recognizer's own dictionary: this name could never be heard.
        (#"{"version":1,"competitors":["Initech"]}"#, "competitors[0]",
         "\"initech\" is not in the recognizer's dictionary, so it can never be heard; use words it knows"),
        ("", nil, "the playbook is not valid JSON"),
        ("[]", nil, "the playbook must be a JSON object"),
        (#"{"version":1,"competitors":[""# + String(repeating: "x", count: 70_000) + #""]}"#, nil,
         "the body must be at most 64 KiB of JSON"),
    ] as [(String, String?, String)])
    func anInvalidPlaybookIsRefused(body: String, path: String?, reason: String) async throws {
        try await Harness.withGateway { gateway in
            let admin = try await gateway.token(roles: ["admin"], user: "admin-1")
            let reply = try await REST.put(gateway, "/v1/admin/playbook", token: admin, json: body)
            #expect(reply.status == 400)
            let refusal = try reply.json(PlaybookRefusalJSON.self)
            #expect(refusal.error == "bad_request")
            #expect(refusal.path == path)
            #expect(refusal.reason == reason)
            #expect(reply.text.contains(#""path":"#))
            #expect(try await REST.get(gateway, "/v1/admin/playbook", token: admin).json(PlaybookJSON.self).source == "default")
        }
    }

    @Test func aChangeIsAuditedByRevisionHashAndChangedIntentsWithoutItsWords() async throws {
        try await Harness.withGateway { gateway in
            let admin = try await gateway.token(roles: ["admin"], user: "admin-1")
            let initial = try await REST.get(gateway, "/v1/admin/playbook", token: admin).json(PlaybookJSON.self)
            let stored = try await REST.put(gateway, "/v1/admin/playbook", token: admin, json: Self.custom).json(PlaybookJSON.self)
            _ = try await REST.put(gateway, "/v1/admin/playbook", token: admin, json: #"{"version":1,"intents":{}}"#)
            _ = try await REST.put(gateway, "/v1/admin/playbook", token: admin, json: "{")

            let auditor = try await gateway.token(roles: ["auditor"], user: "auditor-1")
            let log = try await REST.get(gateway, "/v1/admin/audit?limit=500", token: auditor)
            let events = try #require(try JSONSerialization.jsonObject(with: Data(log.body)) as? [String: Any])["events"] as? [[String: Any]]
            let changes = try #require(events).filter { $0["route"] as? String == "/v1/admin/playbook" && $0["method"] as? String == "PUT" }
            #expect(changes.map { $0["status"] as? Int } == [200, 200, 400])

            let first = try #require(changes.first)
            let before = try #require(first["before"] as? [String: Any])
            let after = try #require(first["after"] as? [String: Any])
            #expect(before["source"] as? String == "default")
            #expect(before["revision"] as? Int == 0)
            #expect(before["sha256"] as? String == initial.sha256)
            #expect(after["source"] as? String == "tenant")
            #expect(after["revision"] as? Int == 1)
            #expect(after["sha256"] as? String == stored.sha256)
            // The default has all eight intents; the custom one keeps pricing only, with other words.
            #expect(after["changed_intents"] as? [String] == Intent.allCases.map(\.rawValue))
            #expect(after["competitors_changed"] as? Bool == true)
            #expect(after["budget_changed"] as? Bool == true)

            let second = try #require(changes.dropFirst().first)
            #expect((second["before"] as? [String: Any])?["revision"] as? Int == 1)
            #expect((second["after"] as? [String: Any])?["changed_intents"] as? [String] == ["pricing_objection"])
            #expect(changes.last?["before"] is NSNull && changes.last?["after"] is NSNull)

            // Not a title, a body, a phrase or a competitor's name, from either playbook.
            for words in ["Price pushback", "Ask what the delay", "way too pricey", "Umbrella", "Pricing objection", "too pricey", "Acme"] {
                #expect(!log.text.contains(words), "\(words)")
            }
        }
    }

    @Test func theCatalogGivesEachTenantItsOwnPlaybookOrTheDefault() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteMetadataStore(dataDirectory: directory)
        let dictionary: Set<Substring> = ["way", "too", "pricey", "umbrella", "acme", "globex"]
        let catalog = PlaybookCatalog(
            defaultPlaybook: Playbook(competitors: ["Acme"]), store: store, isKnownWord: { dictionary.contains($0) })
        let orgA = TenantScope.operatorScope(org: "org_a", env: .prod)
        #expect(try await catalog.playbook(for: orgA) == Playbook(competitors: ["Acme"]))

        let custom = try Playbook.parse(Data(Self.custom.utf8), isKnownWord: catalog.isKnownWord)
        _ = try await store.setPlaybook(orgA, json: String(decoding: custom.canonicalJSON(), as: UTF8.self), updatedBy: "admin", at: Date())
        #expect(try await catalog.playbook(for: orgA) == custom)
        #expect(try await catalog.playbook(for: .operatorScope(org: "org_a", env: .dev)) == Playbook(competitors: ["Acme"]))

        // A stored playbook that today's dictionary no longer accepts is reported, for the caller to fall back.
        let smaller = PlaybookCatalog(defaultPlaybook: catalog.defaultPlaybook, store: store, isKnownWord: { $0 != "pricey" })
        let error = try await #require(throws: PlaybookError.self) { try await smaller.playbook(for: orgA) }
        #expect(error.path == "intents.pricing_objection.phrases[0].text")
    }

    @Test func theGatewayLoadsTheDefaultFromTheModelsDirectoryAndRefusesToStartWithoutIt() async throws {
        await #expect(throws: PlaybookError.self) {
            try await Harness.withGateway(configure: { $0.modelsDirectory = "/nonexistent-models" }) { _ in }
        }
        var configuration = GatewayConfiguration()
        try configuration.apply(environment: ["EARPIECE_MODELS_DIR": "/opt/earpiece/models"])
        #expect(configuration.modelsDirectory == "/opt/earpiece/models")
    }

    // MARK: Support

    static let modelsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Models")

    static func hex(_ digest: some Sequence<UInt8>) -> String { digest.map { String(format: "%02x", $0) }.joined() }
}

/// The answer of the playbook routes.
struct PlaybookJSON: Decodable, Sendable {
    var source: String
    var revision: Int
    var sha256: String
    var updated_at: String?
    var updated_by: String?
    var playbook: Playbook
}

/// A refused playbook.
struct PlaybookRefusalJSON: Decodable, Sendable {
    var error: String
    var path: String?
    var reason: String
}
