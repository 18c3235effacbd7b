import Foundation
import Testing

@testable import EarpieceGuidance

/// Probabilities of a fresh window given `words`.
private func probabilities(_ model: IntentModel, _ words: some Sequence<Substring>) -> [Float] {
    var window = IntentWindow(model: model)
    for word in words { window.append(word) }
    var result: [Float] = []
    window.probabilities(into: &result)
    return result
}

private func words(_ text: String) -> [Substring] { text.split(separator: " ") }

private func maximumDifference(_ a: [Float], _ b: [Float]) -> Float {
    zip(a, b).map { abs($0 - $1) }.max() ?? .infinity
}

private struct AgreementVectors: Decodable {
    struct Vector: Decodable {
        let words: [String]
        let probabilities: [Float]
    }
    let classes: [String]
    let window: Int
    let vectors: [Vector]
}

@Suite("Intent window")
struct IntentModelWindowTests {
    let model: IntentModel

    init() throws { model = try ShippedIntentModel.load() }

    @Test func probabilitiesMatchTheTrainingScriptsVectors() throws {
        let data = try Data(contentsOf: ShippedIntentModel.directory.appendingPathComponent("intent-model-vectors.json"))
        let file = try JSONDecoder().decode(AgreementVectors.self, from: data)
        #expect(file.classes == Intent.allCases.map(\.rawValue) + ["none"])
        #expect(file.window == model.windowWords)
        #expect(file.vectors.count >= 10)
        for vector in file.vectors {
            var window = IntentWindow(model: model)
            for word in vector.words { window.append(word) }
            var result: [Float] = []
            window.probabilities(into: &result)
            #expect(maximumDifference(result, vector.probabilities) < 1e-4, "\(vector.words)")
        }
    }

    @Test func theIntentsExamplesFireTheirIntents() {
        let examples: [(String, Intent)] = [
            ("that's too pricey for us", .pricingObjection), ("we're evaluating acme as well", .competitorMention),
            ("call me back next quarter", .timingObjection), ("my boss decides on tools like this", .authorityObjection),
            ("send over a proposal", .nextStep), ("when could we go live", .buyingSignal),
            ("we might not renew", .churnRisk), ("is our data encrypted", .securityConcern),
            ("let me send over a proposal today", .nextStep),
            ("we're evaluating globex as well", .competitorMention),
        ]
        for (text, intent) in examples {
            #expect(model.firingIntent(in: probabilities(model, words(text))) == intent, "\(text)")
        }
    }

    @Test func aWordTheCorpusNeverHeldIsUnderstoodThroughItsVector() throws {
        // "affordable" is in no training utterance; its vector sits near "expensive", "cheap" and "costs".
        for name in ["corpus-clean.tsv", "corpus-noisy.tsv"] {
            let corpus = try String(contentsOf: ShippedIntentModel.directory.appendingPathComponent("training/\(name)"), encoding: .utf8)
            #expect(!corpus.split(whereSeparator: { $0 == "\t" || $0 == "\n" || $0 == " " }).contains("affordable"), "\(name)")
        }
        #expect(model.vectorRow(forKey: IntentFeatureHash.extend(model.seededState, with: "affordable".utf8)) >= 0)
        #expect(model.vectorRow(forKey: IntentFeatureHash.extend(model.seededState, with: "overpriced".utf8)) == -1)
        #expect(model.firingIntent(in: probabilities(model, words("that is not affordable for us"))) == .pricingObjection)
    }

    @Test func repPitchLinesFireNothingAtAnyPointOfTheUtterance() {
        let pitch = [
            "annual billing brings the monthly cost down",
            "most customers see a return within the first quarter",
            "a lot of teams look at acme",
            "everything is encrypted at rest and in transit",
            "most teams go live within two weeks",
            "renewals are handled automatically each year",
            "thanks for making the time today",
        ]
        for text in pitch {
            let all = words(text)
            for end in 1...all.count {
                #expect(model.firingIntent(in: probabilities(model, all[0..<end])) == nil, "\(all[0..<end])")
            }
        }
    }

    @Test func aSlidingWindowScoresLikeAFreshWindowOverTheSameLastWords() {
        let utterance = words("""
            okay so we have been talking about this for a while and honestly the team likes it but we are \
            also evaluating acme as well and i think my boss decides on tools like this anyway
            """)
        var window = IntentWindow(model: model)
        var sliding: [Float] = []
        for (index, word) in utterance.enumerated() {
            window.append(word)
            window.probabilities(into: &sliding)
            let fresh = probabilities(model, utterance[max(0, index + 1 - model.windowWords)...index])
            #expect(maximumDifference(sliding, fresh) < 1e-5, "after word \(index)")
            #expect(window.count == min(index + 1, model.windowWords))
        }
    }

    @Test func appendingThenRemovingGivesThePreviousScoresBack() {
        let utterance = words("""
            so the thing is we might not renew because the price went up and my manager thinks we should look \
            at other options before the contract ends next quarter
            """)
        var window = IntentWindow(model: model)
        var before: [Float] = [], after: [Float] = []
        for (index, word) in utterance.enumerated() {
            window.probabilities(into: &before)
            window.append(word)
            window.append("revised")
            window.removeLast()
            window.removeLast()
            window.probabilities(into: &after)
            #expect(maximumDifference(before, after) < 1e-5, "around word \(index)")
            window.append(word)
        }
        // Taking back words of a long utterance slides the window back over the words it let go of.
        for end in stride(from: utterance.count - 1, to: 0, by: -1) {
            window.removeLast()
            window.probabilities(into: &after)
            let fresh = probabilities(model, utterance[max(0, end - model.windowWords)..<end])
            #expect(maximumDifference(after, fresh) < 1e-5, "after taking back to \(end) words")
        }
    }

    @Test func anEmptiedWindowScoresExactlyLikeANewOne() {
        var window = IntentWindow(model: model)
        for word in words("is our data encrypted") { window.append(word) }
        for _ in 0..<6 { window.removeLast() }  // more than it holds: the extra ones do nothing
        #expect(window.count == 0)
        var emptied: [Float] = []
        window.probabilities(into: &emptied)
        #expect(emptied == probabilities(model, [Substring]()))
        window.append("hello")
        window.reset()
        var reset: [Float] = []
        window.probabilities(into: &reset)
        #expect(reset == emptied)
    }

    @Test func aLongUtteranceBeyondTheHistoryStillScoresItsLastWords() {
        var window = IntentWindow(model: model, historyCapacity: 20)
        let filler = Array(repeating: Substring("okay"), count: 50)
        for word in filler + words("is our data encrypted") { window.append(word) }
        var result: [Float] = []
        window.probabilities(into: &result)
        let fresh = probabilities(model, (filler + words("is our data encrypted")).suffix(model.windowWords))
        #expect(maximumDifference(result, fresh) < 1e-5)
        #expect(window.utteranceWordCount == 54)
    }

    @Test func capitalsAreFoldedAsTheRecognizerWouldSpellTheWords() {
        #expect(probabilities(model, words("We're Evaluating ACME as well"))
            == probabilities(model, words("we're evaluating acme as well")))
    }

    @Test func explanationsNameTheWordsThatCarryTheIntent() {
        var window = IntentWindow(model: model)
        let utterance = words("okay well honestly that's too pricey for us")
        for word in utterance { window.append(word) }
        let span = window.explain(intent: .pricingObjection)
        #expect(!span.isEmpty)
        #expect(span.contains(5))  // "pricey"
        #expect(span.upperBound <= window.count)
        #expect(IntentWindow(model: model).explain(intent: .churnRisk).isEmpty)
        var churn = IntentWindow(model: model)
        for word in words("we might not renew the contract") { churn.append(word) }
        #expect(churn.explain(intent: .churnRisk).contains(3))  // "renew"
    }

    @Test func probabilitiesSumToOne() {
        let result = probabilities(model, words("when could we go live"))
        #expect(result.count == model.classCount)
        #expect(abs(result.reduce(0, +) - 1) < 1e-5)
    }
}
