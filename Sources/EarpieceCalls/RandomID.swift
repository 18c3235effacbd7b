/// Random identifiers for calls, sessions, recordings and resume tokens: a prefix and 128 bits in hex, safe in
/// URLs, paths and logs.
public enum RandomID {
    public static func make(prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64, low = generator.next() as UInt64
        return prefix + "_" + hex(high) + hex(low)
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
