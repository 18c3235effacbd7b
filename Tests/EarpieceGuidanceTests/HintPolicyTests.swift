import EarpieceGuidance
import Testing

@Suite struct HintPolicyTests {
    private func candidate(_ kind: HintKind, at seconds: Double, trigger: String = "words", competitor: String? = nil) -> Hint {
        Hint(id: "", kind: kind, speaker: .customer, audioTimeMs: Int(seconds * 1000), title: "t", body: "b",
             trigger: trigger, confidence: 0.9, competitor: competitor)
    }

    private func shown(_ policy: inout HintPolicy, _ hint: Hint) -> String? {
        if case .success(let admitted) = policy.admit(hint) { return admitted.id }
        return nil
    }

    @Test func aContentKindWaitsOutItsCooldownAndOnlyShownHintsAreNumbered() {
        var policy = HintPolicy()
        #expect(shown(&policy, candidate(.pricingObjection, at: 10, trigger: "too pricey")) == "h-1")
        #expect(shown(&policy, candidate(.pricingObjection, at: 69.9, trigger: "over budget")) == nil)
        #expect(shown(&policy, candidate(.timingObjection, at: 30, trigger: "next quarter")) == "h-2")
        #expect(shown(&policy, candidate(.pricingObjection, at: 70, trigger: "costs too much")) == "h-3")
        #expect(policy.suppressed == [.cooldown: 1])
    }

    @Test func aSecondCompetitorIsNewsButTheSameOneCoolsDown() {
        var policy = HintPolicy()
        #expect(shown(&policy, candidate(.competitorMention, at: 5, trigger: "acme", competitor: "Acme")) == "h-1")
        #expect(shown(&policy, candidate(.competitorMention, at: 20, trigger: "globex", competitor: "Globex")) == "h-2")
        #expect(shown(&policy, candidate(.competitorMention, at: 30, trigger: "acme again", competitor: "Acme")) == nil)
    }

    @Test func theSameContentTriggerIsADuplicateEvenAfterTheCooldown() {
        var policy = HintPolicy()
        #expect(shown(&policy, candidate(.churnRisk, at: 0, trigger: "not renew")) != nil)
        #expect(shown(&policy, candidate(.churnRisk, at: 300, trigger: "not renew")) == nil)
        #expect(policy.suppressed == [.duplicate: 1])
        #expect(shown(&policy, candidate(.churnRisk, at: 601, trigger: "not renew")) != nil)
    }

    @Test func aDynamicsMeasurementRepeatedIsANewEpisodeNotADuplicate() {
        var policy = HintPolicy()
        #expect(shown(&policy, candidate(.longSilence, at: 12, trigger: "no speech for 10.0 s")) != nil)
        #expect(shown(&policy, candidate(.longSilence, at: 40, trigger: "no speech for 10.0 s")) != nil)
    }

    @Test func theBudgetCountsDynamicsHintsAndSlidesWithTheAudio() {
        var policy = HintPolicy()
        #expect(shown(&policy, candidate(.longSilence, at: 0)) != nil)
        #expect(shown(&policy, candidate(.pricingObjection, at: 10, trigger: "a")) != nil)
        #expect(shown(&policy, candidate(.securityConcern, at: 20, trigger: "b")) != nil)
        #expect(shown(&policy, candidate(.nextStep, at: 30, trigger: "c")) != nil)
        // A fifth within two minutes of the first is over budget, whatever its kind.
        #expect(shown(&policy, candidate(.buyingSignal, at: 119.9, trigger: "d")) == nil)
        #expect(policy.suppressed == [.budget: 1])
        // Once the first has left the window there is room for one more.
        #expect(shown(&policy, candidate(.buyingSignal, at: 120, trigger: "d")) == "h-5")
        #expect(shown(&policy, candidate(.churnRisk, at: 121, trigger: "e")) == nil)
    }

    @Test func thePlaybooksCooldownAndBudgetApply() {
        var policy = HintPolicy(configuration: .init(
            cooldowns: [.nextStep: .seconds(5)], budgetHints: 2, budgetWindow: .seconds(30)))
        #expect(shown(&policy, candidate(.nextStep, at: 0, trigger: "a")) != nil)
        #expect(shown(&policy, candidate(.nextStep, at: 6, trigger: "b")) != nil)
        #expect(shown(&policy, candidate(.pricingObjection, at: 10, trigger: "c")) == nil)
        #expect(shown(&policy, candidate(.pricingObjection, at: 31, trigger: "c")) != nil)
    }

    @Test func unlimitedKeepsEveryDistinctHint() {
        var policy = HintPolicy(configuration: .unlimited)
        for second in 0..<20 {
            #expect(shown(&policy, candidate(.pricingObjection, at: Double(second), trigger: "t\(second)")) != nil)
        }
        #expect(policy.suppressed.isEmpty)
    }
}
