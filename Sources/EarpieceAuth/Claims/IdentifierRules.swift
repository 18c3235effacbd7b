/// The shapes Earpiece accepts for the strings in a token that end up in queries, folder names and logs.
enum IdentifierRules {
    /// `sub`: 1–128 of `A-Z a-z 0-9 . _ : @ | + -`, which covers the ids that common identity providers issue
    /// (UUIDs, numeric ids, `auth0|…`, pairwise base64url ids, e-mail-like subjects).
    static let maximumUserIDLength = 128
    /// `org`: 1–64 of `A-Z a-z 0-9 . _ -`, starting with a letter or digit, because blob folders are named
    /// after it (no `/`, never `.` or `..`, never hidden).
    static let maximumOrgLength = 64
    /// `kid`: 1–64 of `A-Z a-z 0-9 . _ : -`.
    static let maximumKeyIDLength = 64
    /// A scope name: 1–64 printable ASCII characters other than space, `"` and `\` (RFC 6749 §3.3 scope-token).
    /// The characters are the RFC's; the length limit is ours, as no name Earpiece knows comes near it.
    static let maximumScopeNameLength = 64

    static func isValidUserID(_ value: String) -> Bool {
        isBounded(value, maximum: maximumUserIDLength)
            && value.unicodeScalars.allSatisfy { scalar in
                isAlphanumeric(scalar) || "._:@|+-".unicodeScalars.contains(scalar)
            }
    }

    static func isValidOrg(_ value: String) -> Bool {
        guard isBounded(value, maximum: maximumOrgLength), let first = value.unicodeScalars.first,
            isAlphanumeric(first)
        else { return false }
        return value.unicodeScalars.allSatisfy { isAlphanumeric($0) || "._-".unicodeScalars.contains($0) }
    }

    static func isValidKeyID(_ value: String) -> Bool {
        isBounded(value, maximum: maximumKeyIDLength) && value.unicodeScalars.allSatisfy(isKeyIDScalar)
    }

    static func isValidScopeName(_ value: String) -> Bool {
        isBounded(value, maximum: maximumScopeNameLength)
            && value.unicodeScalars.allSatisfy { scalar in
                switch scalar.value {
                case 0x21, 0x23...0x5B, 0x5D...0x7E: return true
                default: return false
                }
            }
    }

    static func isKeyIDScalar(_ scalar: Unicode.Scalar) -> Bool {
        isAlphanumeric(scalar) || "._:-".unicodeScalars.contains(scalar)
    }

    private static func isBounded(_ value: String, maximum: Int) -> Bool {
        !value.isEmpty && value.utf8.count <= maximum
    }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9": return true
        default: return false
        }
    }
}
