import Foundation
import Testing

@testable import EarpieceGuidance

/// Every way a playbook can be wrong is refused with the place in the document and what to change.
@Suite("Playbook validation")
struct PlaybookValidationTests {
    @Test func aPlaybookWithinEveryRuleIsAccepted() {
        #expect(refusal(document()) == nil)
    }

    @Test("each bad value is refused at its path with a reason", arguments: [
        // Intents and keys.
        (#"{"version":1,"intents":{"pricing":{"title":"t","body":"b"}}}"#,
         "intents.pricing", "unknown intent \"pricing\"; known: pricing_objection, competitor_mention, timing_objection, authority_objection, next_step, buying_signal, churn_risk, security_concern"),
        (document(pricing: #"{"title":"t","body":"b","cooldown":5}"#),
         "intents.pricing_objection.cooldown", "unknown key \"cooldown\"; known: body, cooldown_s, enabled, phrases, threshold, title"),
        (document(extra: #","colour":"red""#), "colour", "unknown key \"colour\"; known: budget, competitors, intents, version"),
        (document(pricing: #"{"title":"t","body":"b","phrases":[{"text":"too pricey","weight":2}]}"#),
         "intents.pricing_objection.phrases[0].weight", "unknown key \"weight\"; known: text, threshold"),
        // Required fields and types.
        (#"{"intents":{}}"#, "version", "is required; this format is version 1"),
        (#"{"version":2}"#, "version", "version must be 1, not 2"),
        (document(pricing: #"{"body":"b"}"#), "intents.pricing_objection.title", "is required"),
        (document(pricing: #"{"title":"t","body":"b","phrases":[{"threshold":1e-20}]}"#),
         "intents.pricing_objection.phrases[0].text", "is required"),
        (document(pricing: #"{"title":"t","body":"b","cooldown_s":"60"}"#), "intents.pricing_objection.cooldown_s", "must be a number"),
        (document(pricing: #"{"title":"t","body":"b","cooldown_s":60.5}"#), "intents.pricing_objection.cooldown_s", "must be a whole number"),
        (document(pricing: #"{"title":"t","body":"b","enabled":"yes"}"#), "intents.pricing_objection.enabled", "must be true or false"),
        (document(pricing: #"{"title":7,"body":"b"}"#), "intents.pricing_objection.title", "must be a string"),
        // Phrases.
        (document(pricing: #"{"title":"t","body":"b","phrases":[{"text":"too pricey"},{"text":"over budget"},{"text":""}]}"#),
         "intents.pricing_objection.phrases[2].text", "empty phrase"),
        (document(pricing: #"{"title":"t","body":"b","phrases":[{"text":"Too pricey"}]}"#),
         "intents.pricing_objection.phrases[0].text", "\"Too\" must be lowercase letters (a-z) and apostrophes only"),
        (document(pricing: #"{"title":"t","body":"b","phrases":[{"text":"too  pricey"}]}"#),
         "intents.pricing_objection.phrases[0].text", "words must be separated by single spaces, without spaces at either end"),
        (document(pricing: #"{"title":"t","body":"b","phrases":[{"text":"too too too too too too too"}]}"#),
         "intents.pricing_objection.phrases[0].text", "at most 6 words, not 7"),
        (document(pricing: #"{"title":"t","body":"b","phrases":[{"text":"too pricy"}]}"#),
         "intents.pricing_objection.phrases[0].text", "\"pricy\" is not in the recognizer's dictionary, so it can never be heard; use words it knows"),
        (document(pricing: #"{"title":"t","body":"b","phrases":[{"text":"too pricey"},{"text":"too pricey"}]}"#),
         "intents.pricing_objection.phrases[1].text", "\"too pricey\" is already intents.pricing_objection.phrases[0]"),
        (document(pricing: #"{"title":"t","body":"b","phrases":[{"text":"acme"}]}"#),
         "intents.pricing_objection.phrases[0].text", "\"acme\" is already competitors[0]"),
        (document(pricing: #"{"title":"t","body":"b","phrases":[{"text":"too pricey","threshold":0.5}]}"#),
         "intents.pricing_objection.phrases[0].threshold", "must be from 1e-50 to 0.1, not 0.5"),
        (document(pricing: #"{"title":"t","body":"b","phrases":[{"text":"too pricey","threshold":1e-60}]}"#),
         "intents.pricing_objection.phrases[0].threshold", "must be from 1e-50 to 0.1, not 1e-60"),
        // The play's numbers and texts.
        (document(pricing: #"{"title":"t","body":"b","threshold":0}"#),
         "intents.pricing_objection.threshold", "must be greater than 0 and at most 1, not 0.0"),
        (document(pricing: #"{"title":"t","body":"b","threshold":1.5}"#),
         "intents.pricing_objection.threshold", "must be greater than 0 and at most 1, not 1.5"),
        (document(pricing: #"{"title":"t","body":"b","cooldown_s":3601}"#),
         "intents.pricing_objection.cooldown_s", "must be from 0 to 3600, not 3601"),
        (document(pricing: #"{"title":"t","body":"b","cooldown_s":-1}"#),
         "intents.pricing_objection.cooldown_s", "must be from 0 to 3600, not -1"),
        (document(pricing: #"{"title":"  ","body":"b"}"#), "intents.pricing_objection.title", "must not be empty"),
        (document(pricing: #"{"title":"\#(String(repeating: "x", count: 81))","body":"b"}"#),
         "intents.pricing_objection.title", "at most 80 characters, not 81"),
        (document(pricing: #"{"title":"t","body":"\#(String(repeating: "x", count: 281))"}"#),
         "intents.pricing_objection.body", "at most 280 characters, not 281"),
        (document(pricing: #"{"title":"t","body":"line one\nline two"}"#),
         "intents.pricing_objection.body", "must be one line without control characters"),
        (document(pricing: #"{"title":"Cheaper than {competitor}","body":"b"}"#),
         "intents.pricing_objection.title", "{competitor} can only be used by competitor_mention, which knows the name"),
        // Competitors and the budget.
        (#"{"version":1,"competitors":["Acme","ACME"]}"#, "competitors[1]", "\"ACME\" is already competitors[0]"),
        (#"{"version":1,"competitors":["Salesforce"]}"#,
         "competitors[0]", "\"salesforce\" is not in the recognizer's dictionary, so it can never be heard; use words it knows"),
        (#"{"version":1,"competitors":["Acme-Globex"]}"#,
         "competitors[0]", "\"acme-globex\" must be lowercase letters (a-z) and apostrophes only"),
        (#"{"version":1,"competitors":[""]}"#, "competitors[0]", "empty competitor name"),
        (#"{"version":1,"budget":{"max_hints":0}}"#, "budget.max_hints", "must be from 1 to 20, not 0"),
        (#"{"version":1,"budget":{"window_s":601}}"#, "budget.window_s", "must be from 10 to 600, not 601"),
    ])
    func aBadValueIsRefusedAtItsPath(json: String, path: String, reason: String) throws {
        let error = try #require(refusal(json))
        #expect(error.path == path)
        #expect(error.reason == reason)
        #expect(error.description == "\(path): \(reason)")
    }

    @Test("a document that is not a playbook object is refused as a whole", arguments: [
        ("{\"version\":1,", "the playbook is not valid JSON"),
        ("", "the playbook is not valid JSON"),
        ("[1]", "the playbook must be a JSON object"),
        ("\"playbook\"", "the playbook must be a JSON object"),
    ])
    func aDocumentThatIsNotAnObjectIsRefused(json: String, reason: String) throws {
        let error = try #require(refusal(json))
        #expect(error.path == nil)
        #expect(error.reason == reason)
    }

    @Test func anOversizedDocumentIsRefusedBeforeItIsParsed() throws {
        let padding = String(repeating: " ", count: Playbook.maxBytes)
        let error = try #require(refusal(document() + padding))
        #expect(error.path == nil)
        #expect(error.reason.hasPrefix("the playbook must be at most 64 KiB of JSON, not "))
    }

    @Test func tooManyPhrasesOrCompetitorsAreRefused() throws {
        let phrases = Array(repeating: #"{"text":"too pricey"}"#, count: 33).joined(separator: ",")
        let many = try #require(refusal(document(pricing: #"{"title":"t","body":"b","phrases":[\#(phrases)]}"#)))
        #expect(many.description == "intents.pricing_objection.phrases: at most 32 phrases, not 33")

        let names = Array(repeating: #""Acme""#, count: 51).joined(separator: ",")
        let crowd = try #require(refusal(#"{"version":1,"competitors":[\#(names)]}"#))
        #expect(crowd.description == "competitors: at most 50 competitors, not 51")
    }

    @Test func aCompetitorMentionMayNameTheCompetitorAndAMultiWordNameIsAKeyphrase() throws {
        let json = #"""
            {"version":1,"competitors":["Sales Force"],"intents":{"competitor_mention":
              {"title":"{competitor} came up","body":"Ask what they like about {competitor}."}}}
            """#
        #expect(refusal(json) == nil)
    }

    @Test func validationIsTheSameForTheSameDocumentWhateverItsKeyOrder() throws {
        let json = #"{"version":1,"intents":{"pricing":{"title":"t"},"zzz":{"title":"t"}},"colour":1}"#
        // The unknown top-level key is found before the intents are read, and unknown intents in sorted order.
        #expect(refusal(json)?.path == "colour")
        #expect(refusal(#"{"version":1,"intents":{"zzz":{},"pricing":{}}}"#)?.path == "intents.pricing")
    }
}

// MARK: Support shared with the other playbook suites

/// A small dictionary standing in for the recognizer's: the words the tests' playbooks use, and no others.
let knownWords: Set<Substring> = [
    "too", "pricey", "expensive", "over", "budget", "next", "quarter", "call", "me", "back", "my", "boss", "acme",
    "globex", "we're", "not", "renew", "sales", "force", "encrypted",
]

func isKnownWord(_ word: Substring) -> Bool { knownWords.contains(word) }

/// Parses `json` with the small dictionary, returning the refusal (or `nil` when it is accepted).
func refusal(_ json: String) -> PlaybookError? {
    do {
        _ = try Playbook.parse(Data(json.utf8), isKnownWord: isKnownWord)
        return nil
    } catch {
        return error
    }
}

/// A valid playbook with `pricing` spliced in as the pricing_objection play and `extra` at the top level.
func document(pricing: String = #"{"title":"Pricing objection","body":"Anchor on ROI.","phrases":[{"text":"too pricey"}]}"#,
              extra: String = "") -> String {
    #"{"version":1,"competitors":["Acme"],"intents":{"pricing_objection":\#(pricing)}\#(extra)}"#
}

/// The real PocketSphinx US English dictionary, if this machine has it: its words without the `(2)` of variants.
enum RecognizerDictionary {
    static let path = "/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict"

    static func load() throws -> Set<Substring>? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var words: Set<Substring> = []
        for line in text.split(separator: "\n") {
            guard let entry = line.split(separator: " ", maxSplits: 1).first else { continue }
            words.insert(entry.split(separator: "(").first ?? entry)
        }
        return words
    }
}

/// `Models/playbook.json`, found from this file's place in the repository.
let defaultPlaybookURL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Models").appendingPathComponent(Playbook.defaultFileName)
