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
