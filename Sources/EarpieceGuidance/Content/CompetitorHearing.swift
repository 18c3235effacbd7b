/// Finds the playbook's competitors in what the recognizer heard, including near misses.
///
/// The recognizer's language model rarely knows a company's name and writes the nearest words it does know:
/// "acme" comes out as "acne" or "at me", "globex" as "club ex". So a name counts as heard when one to three
/// consecutive words, run together, are within a small edit distance of it: at most a third of the name's
/// letters, and none for names under four letters. Exact matches win over near ones, then the closest. Near
/// misses admit some real words too ("global" is two letters from "globex", "at me" is everyday talk), which is
/// why a name heard only nearly supports the intent model's decision and never makes a hint alone; a name heard
/// exactly does (`TranscriptIntents`).
struct CompetitorHearing: Sendable {
    private let names: [(display: String, letters: [UInt8])]

    init(competitors: [String]) {
        names = competitors.map { name in
            (name, Array(name.lowercased().utf8.filter { $0 != UInt8(ascii: " ") }))
        }
    }

    var isEmpty: Bool { names.isEmpty }

    /// The competitor heard in `words`, as the playbook writes it, or nil.
    func competitor(in words: some Collection<String>) -> String? {
        heard(in: words)?.name
    }

    /// The competitor heard in `words`, which of the words (positions from 0) it was heard in, and whether they
    /// spell it exactly (run together, apostrophes dropped) rather than nearly.
    func heard(in words: some Collection<String>) -> (name: String, words: Range<Int>, exactly: Bool)? {
        let words = Array(words)
        var best: (name: String, distance: Int, words: Range<Int>)?
        for start in words.indices {
            var joined: [UInt8] = []
            for end in start..<min(words.count, start + 3) {
                joined += words[end].utf8.filter { $0 != UInt8(ascii: "'") }
                for name in names {
                    let allowed = name.letters.count < 4 ? 0 : name.letters.count / 3
                    guard abs(joined.count - name.letters.count) <= allowed else { continue }
                    let distance = Self.editDistance(joined, name.letters)
                    if distance <= allowed, distance < (best?.distance ?? .max) { best = (name.display, distance, start..<(end + 1)) }
                }
            }
        }
        return best.map { ($0.name, $0.words, $0.distance == 0) }
    }

    /// Levenshtein distance between two byte strings.
    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
