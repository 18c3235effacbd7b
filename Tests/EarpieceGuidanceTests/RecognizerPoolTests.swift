import Testing

@testable import EarpieceGuidance

@Suite("Recognizer pool")
struct RecognizerPoolTests {
    @Test func aFullPoolSaysNoAndAReleasedDecoderIsLentAgainWithoutLoading() throws {
        let pool = RecognizerPool(transcriptCapacity: 0, keyphraseCapacity: 2)
        let one = try lease(pool, .keyphrase(playbookPhrases))
        let two = try lease(pool, .keyphrase(KeyphraseList([KeyphraseTarget(text: "budget")])))
        let refusedKeyphrase = try pool.acquire(.keyphrase(playbookPhrases)) == nil
        let refusedTranscript = try pool.acquire(.transcript) == nil
        #expect(refusedKeyphrase && refusedTranscript)
        #expect(pool.counts.inUse(.keyphrase) == 2)
        one.close()
        #expect(pool.counts.idle(.keyphrase) == 1)
        let three = try lease(pool, .keyphrase(playbookPhrases))
        #expect(pool.counts.loaded(.keyphrase) == 2)
        #expect(pool.counts.inUse(.keyphrase) == 2 && pool.counts.idle(.keyphrase) == 0)
        _ = consume two
        _ = consume three
        #expect(pool.counts.idle(.keyphrase) == 2 && pool.counts.inUse(.keyphrase) == 0)
    }

    @Test func aMissingModelDirectoryIsAnErrorNamingThePath() throws {
        let pool = RecognizerPool(
            configuration: RecognizerConfiguration(modelDirectory: "/nonexistent/pocketsphinx-model"), transcriptCapacity: 1, keyphraseCapacity: 1)
        #expect(throws: RecognizerError.modelFileMissing(path: "/nonexistent/pocketsphinx-model")) { _ = try pool.acquire(.transcript) }
        #expect(pool.counts.inUse(.transcript) == 0, "a failed load must not hold a slot")
        #expect(RecognizerError.modelFileMissing(path: "/nonexistent/pocketsphinx-model").description.contains("/nonexistent/pocketsphinx-model"))
    }

    @Test func aKeyphraseWithAWordOutsideTheDictionaryIsRefusedByName() throws {
        let pool = RecognizerPool(transcriptCapacity: 0, keyphraseCapacity: 1)
        let list = KeyphraseList([KeyphraseTarget(text: "acme"), KeyphraseTarget(text: "Call Zorblax")])
        #expect(throws: RecognizerError.unknownWord("zorblax", phrase: "call zorblax")) { _ = try pool.acquire(.keyphrase(list)) }
        #expect(pool.counts.inUse(.keyphrase) == 0 && pool.counts.idle(.keyphrase) == 1)
    }

    @Test func theDictionaryKnowsPlaybookWordsAndNamesTheOnesItDoesNot() throws {
        let dictionary = try PronunciationDictionary()
        #expect(dictionary.contains("acme") && dictionary.contains("Quarter") && dictionary.contains("read"))
        #expect(!dictionary.contains("zorblax") && !dictionary.contains("read(2)"))
        #expect(dictionary.unknownWords(in: "call me zorblax next quarter") == ["zorblax"])
        #expect(dictionary.count > 100_000)
    }

    @Test func aMissingDictionaryIsAnErrorNamingThePath() {
        #expect(throws: RecognizerError.modelFileMissing(path: "/nonexistent/words.dict")) { try PronunciationDictionary(path: "/nonexistent/words.dict") }
    }
}
