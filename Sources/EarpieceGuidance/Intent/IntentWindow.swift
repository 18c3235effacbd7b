import Foundation

/// One speaker's rolling view of the current utterance for the intent model, updated word by word.
///
/// The model sees the last `model.windowWords` words of the utterance. Its features are each word, each pair of
/// adjacent words, and a start marker paired with the window's first word; the hidden layer's input is the sum
/// of those features' rows scaled by 1/√(feature count), plus the mean of the window's projected word vectors.
/// Both sums are kept running: appending a word adds two rows and its projected vector, removing one subtracts
/// them, and sliding the window past its size moves the start marker. Partial
/// hypotheses get revised, so the caller diffs each new hypothesis against the words it has appended and
/// calls `removeLast()` and `append(_:)` for the difference; words slid out of the window come back when later
/// words are removed, as long as the utterance is at most `historyCapacity` words long.
///
/// Storage is allocated once, in `init`; `append`, `removeLast`, `reset` and `probabilities(into:)` allocate
/// nothing.
public struct IntentWindow: Sendable {
    /// The weights this window scores with.
    public let model: IntentModel
    /// How many of the utterance's latest words are remembered, so that removals can slide the window back.
    public let historyCapacity: Int

    // A ring of the remembered words' feature rows (row offsets into the embedding) and hash states.
    private var wordRow: [Int]
    private var pairRow: [Int]       // the pair with the word before it; -1 for an utterance's first word
    private var startRow: [Int]      // the start marker paired with this word
    private var wordState: [UInt32]  // FNV state after the word, where its pair with the next word continues
    private var vectorRow: [Int]     // the word's projected vector (offset into the model's); -1 if it has none
    private var ringStart = 0
    private var remembered = 0
    /// Words appended since the utterance began, less those removed.
    public private(set) var utteranceWordCount = 0
    private var hiddenSum: [Float]
    private var featureCount = 0
    private var vectorSum: [Float]
    private var vectorCount = 0

    /// An empty window over `model`.
    public init(model: IntentModel, historyCapacity: Int = 64) {
        self.model = model
        self.historyCapacity = max(historyCapacity, model.windowWords + 1)
        wordRow = [Int](repeating: 0, count: self.historyCapacity)
        pairRow = wordRow
        startRow = wordRow
        wordState = [UInt32](repeating: 0, count: self.historyCapacity)
        vectorRow = wordRow
        hiddenSum = [Float](repeating: 0, count: model.hiddenCount)
        vectorSum = [Float](repeating: 0, count: model.hiddenCount)
    }

    /// The most words the model sees: the utterance's last `capacity` words.
    public var capacity: Int { model.windowWords }

    /// How many words the model currently sees (at most `capacity`).
    public var count: Int { min(remembered, model.windowWords) }

    /// Adds the utterance's next word, as the recognizer spells it.
    public mutating func append(_ word: String) { append(utf8: word.utf8) }

    /// Adds the utterance's next word, as the recognizer spells it.
    public mutating func append(_ word: Substring) { append(utf8: word.utf8) }

    /// Takes back the utterance's last word (the recognizer revised it).
    public mutating func removeLast() {
        guard remembered > 0 else { return }
        let last = slot(remembered - 1)
        if count == 1 {
            add(startRow[last], sign: -1)
            add(wordRow[last], sign: -1)
        } else {
            add(wordRow[last], sign: -1)
            add(pairRow[last], sign: -1)
        }
        addVector(vectorRow[last], sign: -1)
        featureCount -= 2
        remembered -= 1
        utteranceWordCount -= 1
        if remembered >= model.windowWords {
            // The word that slid out last comes back as the window's first word.
            let back = slot(remembered - model.windowWords)
            let first = slot(remembered - model.windowWords + 1)
            add(startRow[first], sign: -1)
            add(pairRow[first], sign: 1)
            add(startRow[back], sign: 1)
            add(wordRow[back], sign: 1)
            addVector(vectorRow[back], sign: 1)
            featureCount += 2
        }
        if remembered == 0 { clearSum() }
    }

    /// Forgets the utterance (it ended).
    public mutating func reset() {
        ringStart = 0
        remembered = 0
        utteranceWordCount = 0
        clearSum()
    }

    /// Writes the probability of each class for the current window: the intents in `Intent.allCases` order, then
    /// none (`IntentModel.classIndex(of:)` says where each sits). Resized only if it does not hold that many.
    public func probabilities(into probabilities: inout [Float]) {
        if probabilities.count != IntentModel.classCount {
            probabilities = [Float](repeating: 0, count: IntentModel.classCount)
        }
        score(sum: hiddenSum, featureCount: featureCount, vectorSum: vectorSum, vectorCount: vectorCount, into: &probabilities)
    }

    /// The words that most support `intent`, as positions in the window (0 is its first word, `count - 1` the
    /// utterance's last): each word is left out in turn (its word and pair features removed), and the span around
    /// the word whose absence lowers the intent's log-odds most is extended over neighbours that lower them at
    /// least a quarter as much. Empty when no word supports it. Meant for when a hint fires; it allocates.
    public func explain(intent: Intent) -> Range<Int> {
        let count = self.count
        guard count > 0 else { return 0..<0 }
        let target = IntentModel.classIndex(of: intent)
        var probabilities = [Float](repeating: 0, count: IntentModel.classCount)
        // Log-odds, not probabilities: a confident window sits at p ≈ 1, where leaving out any one word barely
        // moves the probability but still moves the odds.
        func logOdds() -> Float {
            var others: Float = 0
            for index in probabilities.indices where index != target { others += probabilities[index] }
            return log(max(probabilities[target], .leastNormalMagnitude)) - log(max(others, .leastNormalMagnitude))
        }
        score(sum: hiddenSum, featureCount: featureCount, vectorSum: vectorSum, vectorCount: vectorCount, into: &probabilities)
        let full = logOdds()
        var drops = [Float](repeating: 0, count: count)
        var sum = hiddenSum, vectors = vectorSum
        for index in 0..<count {
            let word = slot(remembered - count + index)
            var removed: [Int] = [wordRow[word], index == 0 ? startRow[word] : pairRow[word]]
            if index + 1 < count { removed.append(pairRow[slot(remembered - count + index + 1)]) }
            for row in removed { Self.accumulate(row, of: model.embedding, into: &sum, sign: -1) }
            Self.accumulate(vectorRow[word], of: model.projectedVectors, into: &vectors, sign: -1)
            let vectorsLeft = vectorCount - (vectorRow[word] >= 0 ? 1 : 0)
            score(sum: sum, featureCount: featureCount - removed.count, vectorSum: vectors, vectorCount: vectorsLeft,
                  into: &probabilities)
            drops[index] = full - logOdds()
            for row in removed { Self.accumulate(row, of: model.embedding, into: &sum, sign: 1) }
            Self.accumulate(vectorRow[word], of: model.projectedVectors, into: &vectors, sign: 1)
        }
        var best = 0
        for index in drops.indices where drops[index] > drops[best] { best = index }
        guard drops[best] > 0 else { return 0..<0 }
        var lower = best, upper = best
        while lower > 0, drops[lower - 1] >= drops[best] / 4 { lower -= 1 }
        while upper + 1 < count, drops[upper + 1] >= drops[best] / 4 { upper += 1 }
        return lower..<(upper + 1)
    }

    // MARK: - Updates

    private mutating func append<Bytes: Sequence>(utf8 word: Bytes) where Bytes.Element == UInt8 {
        let mask = UInt32(model.bucketCount - 1)
        let width = model.hiddenCount
        let state = IntentFeatureHash.extend(model.seededState, with: word)
        let start = Int(IntentFeatureHash.pair(after: model.startState, word) & mask) * width
        var pair = -1
        if remembered > 0 {
            pair = Int(IntentFeatureHash.pair(after: wordState[slot(remembered - 1)], word) & mask) * width
        }
        if remembered >= model.windowWords {
            // Slide: the window's first word leaves and the next one takes the start marker.
            let leaving = slot(remembered - model.windowWords)
            let first = slot(remembered - model.windowWords + 1)
            add(startRow[leaving], sign: -1)
            add(wordRow[leaving], sign: -1)
            add(pairRow[first], sign: -1)
            add(startRow[first], sign: 1)
            addVector(vectorRow[leaving], sign: -1)
            featureCount -= 2
        }
        if remembered == historyCapacity {
            // The oldest remembered word is far outside the window: forget it to make room.
            ringStart = (ringStart + 1) % historyCapacity
            remembered -= 1
        }
        let new = slot(remembered)
        wordRow[new] = Int(state & mask) * width
        pairRow[new] = pair
        startRow[new] = start
        wordState[new] = state
        vectorRow[new] = model.vectorRow(forKey: state)
        addVector(vectorRow[new], sign: 1)
        if count == 0 {
            add(start, sign: 1)
        } else {
            add(pair, sign: 1)
        }
        add(wordRow[new], sign: 1)
        featureCount += 2
        remembered += 1
        utteranceWordCount += 1
    }

    private func slot(_ index: Int) -> Int {
        let position = ringStart + index
        return position < historyCapacity ? position : position - historyCapacity
    }

    private mutating func add(_ row: Int, sign: Float) {
        // Static, so the running sum is the only thing borrowed mutably: calling a method on self here would
        // copy self and, with it, force a copy of the sum's storage on every update.
        Self.accumulate(row, of: model.embedding, into: &hiddenSum, sign: sign)
    }

    private mutating func addVector(_ row: Int, sign: Float) {
        guard row >= 0 else { return }
        Self.accumulate(row, of: model.projectedVectors, into: &vectorSum, sign: sign)
        vectorCount += sign > 0 ? 1 : -1
    }

    private static func accumulate(_ row: Int, of embedding: [Float], into sum: inout [Float], sign: Float) {
        guard row >= 0 else { return }
        embedding.withUnsafeBufferPointer { table in
            sum.withUnsafeMutableBufferPointer { sum in
                for unit in 0..<sum.count { sum[unit] += sign * table[row + unit] }
            }
        }
    }

    private mutating func clearSum() {
        for unit in hiddenSum.indices { hiddenSum[unit] = 0 }
        for dimension in vectorSum.indices { vectorSum[dimension] = 0 }
        featureCount = 0
        vectorCount = 0
    }

    // MARK: - Scoring

    /// softmax(W₂ · relu(sum / √count + Σ(P · v) / vectorCount + b₁) + b₂), as `Models/train.py` computes it
    /// (there as P · mean(v)).
    private func score(sum: [Float], featureCount: Int, vectorSum: [Float], vectorCount: Int, into probabilities: inout [Float]) {
        let width = model.hiddenCount
        let scale: Float = featureCount > 0 ? 1 / Float(featureCount).squareRoot() : 0
        let vectorScale: Float = vectorCount > 0 ? 1 / Float(vectorCount) : 0
        for cls in 0..<IntentModel.classCount { probabilities[cls] = model.outputBias[cls] }
        model.outputWeights.withUnsafeBufferPointer { weights in
            model.hiddenBias.withUnsafeBufferPointer { bias in
                sum.withUnsafeBufferPointer { sum in
                    vectorSum.withUnsafeBufferPointer { vectors in
                        probabilities.withUnsafeMutableBufferPointer { logits in
                            for unit in 0..<width {
                                let hidden = sum[unit] * scale + vectors[unit] * vectorScale + bias[unit]
                                guard hidden > 0 else { continue }
                                for cls in 0..<IntentModel.classCount { logits[cls] += weights[cls * width + unit] * hidden }
                            }
                        }
                    }
                }
            }
        }
        var largest = -Float.infinity
        for cls in 0..<IntentModel.classCount { largest = max(largest, probabilities[cls]) }
        var total: Float = 0
        for cls in 0..<IntentModel.classCount {
            probabilities[cls] = exp(probabilities[cls] - largest)
            total += probabilities[cls]
        }
        for cls in 0..<IntentModel.classCount { probabilities[cls] /= total }
    }
}
