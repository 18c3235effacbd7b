import Foundation
import Testing

@testable import EarpieceGuidance

/// The playbook's JSON: defaults for what is left out, one canonical encoding, and the product's default file.
@Suite("Playbook JSON")
struct PlaybookCodingTests {
    @Test func leftOutFieldsTakeTheirDefaults() throws {
        let playbook = try Playbook.parse(
            Data(#"{"version":1,"intents":{"next_step":{"title":"t","body":"b","phrases":[{"text":"call me back"}]}}}"#.utf8),
            isKnownWord: isKnownWord)
        #expect(playbook.competitors == [])
        #expect(playbook.budget == HintBudget(maxHints: 4, windowSeconds: 120))
        let play = try #require(playbook.intents[.nextStep])
        #expect(play.threshold == 0.6)
        #expect(play.cooldownSeconds == 60)
        #expect(play.enabled)
        #expect(play.phrases == [Keyphrase("call me back", threshold: 1e-20)])
    }

    @Test func anIntentLeftOutOrDisabledNeverFires() throws {
        let playbook = try Playbook.parse(
            Data(#"{"version":1,"intents":{"next_step":{"title":"t","body":"b","enabled":false,"phrases":[{"text":"call me back"}]}}}"#.utf8),
            isKnownWord: isKnownWord)
        #expect(playbook.activePlay(for: .nextStep) == nil)
        #expect(playbook.activePlay(for: .pricingObjection) == nil)
        #expect(playbook.spottedPhrases.isEmpty)
    }

    @Test func theCanonicalEncodingWritesEveryFieldWithSortedKeysAndParsesBackEqual() throws {
        let playbook = try Playbook.parse(Data(document().utf8), isKnownWord: isKnownWord)
        let canonical = String(decoding: playbook.canonicalJSON(), as: UTF8.self)
        #expect(canonical == #"{"budget":{"max_hints":4,"window_s":120},"competitors":["Acme"],"intents":{"pricing_objection":{"body":"Anchor on ROI.","cooldown_s":60,"enabled":true,"phrases":[{"text":"too pricey","threshold":1e-20}],"threshold":0.6,"title":"Pricing objection"}},"version":1}"#)
        let again = try Playbook.parse(playbook.canonicalJSON(), isKnownWord: isKnownWord)
        #expect(again == playbook)
        #expect(again.canonicalJSON() == playbook.canonicalJSON())
    }

    @Test func documentsThatMeanTheSameEncodeTheSame() throws {
        let terse = try Playbook.parse(Data(document().utf8), isKnownWord: isKnownWord)
        let spelledOut = try Playbook.parse(Data(#"""
            { "intents": { "pricing_objection": { "phrases": [ { "threshold": 1e-20, "text": "too pricey" } ],
              "enabled": true, "cooldown_s": 60.0, "threshold": 0.6, "body": "Anchor on ROI.", "title": "Pricing objection" } },
              "budget": { "window_s": 120 }, "competitors": [ "Acme" ], "version": 1 }
            """#.utf8), isKnownWord: isKnownWord)
        #expect(spelledOut.canonicalJSON() == terse.canonicalJSON())
    }

    @Test func competitorNamesAreSpottedAsKeyphrasesOfCompetitorMentionAndNamedInItsHint() throws {
        let playbook = Playbook(
            competitors: ["Acme", "Sales Force"],
            intents: [
                .competitorMention: Play(title: "{competitor} mentioned", body: "Ask what they like about {competitor}."),
                .pricingObjection: Play(title: "Pricing", body: "Anchor on ROI.", phrases: [Keyphrase("too pricey")]),
            ])
        try playbook.validate(isKnownWord: isKnownWord)
        #expect(playbook.spottedPhrases == [
            SpottedPhrase(keyphrase: Keyphrase("too pricey"), intent: .pricingObjection),
            // Names are spotted at the strict competitor threshold, not the phrases' default.
            SpottedPhrase(keyphrase: Keyphrase("acme", threshold: Keyphrase.competitorThreshold), intent: .competitorMention, competitor: "Acme"),
            SpottedPhrase(keyphrase: Keyphrase("sales force", threshold: Keyphrase.competitorThreshold), intent: .competitorMention, competitor: "Sales Force"),
        ])
        let play = try #require(playbook.activePlay(for: .competitorMention))
        let named = play.rendered(naming: "Acme")
        #expect(named.title == "Acme mentioned")
        #expect(named.body == "Ask what they like about Acme.")
        #expect(play.rendered(naming: nil).title == "A competitor mentioned")
    }

    @Test func theDefaultPlaybookCoversEveryIntentAndEveryWordIsInTheRecognizersDictionary() throws {
        // Without the dictionary, the file is still checked for everything else.
        let dictionary = try RecognizerDictionary.load()
        let playbook = try Playbook.loadDefault(
            from: defaultPlaybookURL, isKnownWord: { word in dictionary?.contains(word) ?? true })
        #expect(Set(playbook.intents.keys) == Set(Intent.allCases))
        #expect(Intent.allCases.allSatisfy { playbook.activePlay(for: $0) != nil })
        #expect(Intent.allCases.allSatisfy { !(playbook.intents[$0]?.phrases.isEmpty ?? true) })
        #expect(playbook.competitors == ["Acme", "Globex"])
        #expect(playbook.budget == .standard)
        let pricing = try #require(playbook.intents[.pricingObjection]).phrases.map(\.text)
        #expect(pricing.contains("expensive") && pricing.contains("our budget"))
    }

    @Test func aMissingDefaultFileNamesTheSettingToCheck() throws {
        let error = try #require(throws: PlaybookError.self) {
            try Playbook.loadDefault(from: URL(fileURLWithPath: "/nonexistent/playbook.json"), isKnownWord: isKnownWord)
        }
        #expect(error.reason == "cannot read the default playbook /nonexistent/playbook.json; check the models_dir setting")
    }
}
