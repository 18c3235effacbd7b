import Foundation
import Testing

@testable import EarpieceStore

@Suite("Retention policy bounds")
struct RetentionPolicyTests {
    @Test(arguments: [1, 30, 3650])
    func daysWithinOneToTenYearsAreAccepted(days: Int) throws {
        let policy = try RetentionPolicy(audioDays: days, derivedDays: days)
        #expect(policy.audioDays == days)
        #expect(policy.derivedDays == days)
    }

    @Test(arguments: [0, 3651, -1, Int.min, Int.max])
    func audioDaysOutsideTheBoundsAreRefusedNamingTheField(days: Int) throws {
        let error = try #require(throws: StoreError.self) { try RetentionPolicy(audioDays: days, derivedDays: 30) }
        #expect(error == .invalidValue("audio_days must be 1…3650, not \(days)"))
    }

    @Test(arguments: [0, 3651, -1, Int.min, Int.max])
    func derivedDaysOutsideTheBoundsAreRefusedNamingTheField(days: Int) throws {
        let error = try #require(throws: StoreError.self) { try RetentionPolicy(audioDays: 30, derivedDays: days) }
        #expect(error == .invalidValue("derived_days must be 1…3650, not \(days)"))
    }

    @Test func theStandardPolicyKeepsAudioThirtyDaysAndDerivedDataAYear() {
        #expect(RetentionPolicy.standard.audioDays == 30)
        #expect(RetentionPolicy.standard.derivedDays == 365)
    }

    @Test func jsonWithinTheBoundsDecodesFromSnakeCase() throws {
        let json = Data(#"{"audio_days":1,"derived_days":3650}"#.utf8)
        let policy = try JSONDecoder().decode(RetentionPolicy.self, from: json)
        #expect(policy == (try RetentionPolicy(audioDays: 1, derivedDays: 3650)))
    }

    @Test(arguments: [
        (#"{"audio_days":0,"derived_days":365}"#, "audio_days must be 1…3650, not 0"),
        (#"{"audio_days":30,"derived_days":3651}"#, "derived_days must be 1…3650, not 3651"),
        (#"{"audio_days":-5,"derived_days":365}"#, "audio_days must be 1…3650, not -5"),
    ])
    func jsonOutsideTheBoundsIsRefusedByTheSameCheck(json: String, message: String) throws {
        let error = try #require(throws: StoreError.self) {
            try JSONDecoder().decode(RetentionPolicy.self, from: Data(json.utf8))
        }
        #expect(error.description == message)
    }

    @Test func jsonMissingAFieldIsRefused() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(RetentionPolicy.self, from: Data(#"{"audio_days":30}"#.utf8))
        }
    }

    @Test func encodingWritesTheSnakeCaseFieldsTheDecoderReads() throws {
        let policy = try RetentionPolicy(audioDays: 12, derivedDays: 34)
        let json = try JSONEncoder().encode(policy)
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Int])
        #expect(object == ["audio_days": 12, "derived_days": 34])
        #expect(try JSONDecoder().decode(RetentionPolicy.self, from: json) == policy)
    }
}
