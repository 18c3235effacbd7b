#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The versioned root keys, one of them active: from the keyring file in the data directory, or from
/// `EARPIECE_ROOT_KEYS`.
///
/// Old versions stay so that data keys wrapped under them still unwrap; new wraps use the active version. Its
/// `description` lists versions only, never keys.
public struct Keyring: Sendable, CustomStringConvertible, CustomReflectable {
    /// The keyring file's path relative to the data directory.
    public static let relativePath = "keys/keyring.json"
    /// The environment variable that, when set, supplies the root keys instead of the file.
    public static let environmentVariable = "EARPIECE_ROOT_KEYS"
    /// The version of the keyring file's JSON format.
    public static let fileFormatVersion = 1

    /// The version that new wraps use: a root-key version, and so a KEK version.
    public let activeVersion: UInt32
    /// The root key of the active version.
    public let activeRootKey: RootKey
    private let roots: [UInt32: RootKey]

    /// A keyring of `roots` (distinct versions) with `activeVersion` among them.
    public init(roots: [RootKey], activeVersion: UInt32) throws(KeyringError) {
        guard !roots.isEmpty else { throw .invalidKeyring("it holds no root key") }
        var byVersion: [UInt32: RootKey] = [:]
        for root in roots {
            guard byVersion.updateValue(root, forKey: root.version) == nil else {
                throw .invalidKeyring("root key version \(root.version) appears twice")
            }
        }
        guard let active = byVersion[activeVersion] else {
            throw .invalidKeyring("the active version \(activeVersion) has no root key")
        }
        self.roots = byVersion
        self.activeRootKey = active
        self.activeVersion = activeVersion
    }

    /// Every root-key version held, ascending.
    public var versions: [UInt32] { roots.keys.sorted() }

    /// The root key of `version`, if the keyring holds it.
    public func rootKey(version: UInt32) -> RootKey? { roots[version] }

    /// This keyring plus a new random root key one above the highest version, which becomes active.
    public func rotated(created: Date = Date()) throws(KeyringError) -> Keyring {
        let highest = versions.last ?? 0
        guard highest < UInt32.max else { throw .invalidKeyring("root key versions are exhausted") }
        let next = try RootKey.generate(version: highest + 1, created: created)
        return try Keyring(roots: Array(roots.values) + [next], activeVersion: next.version)
    }

    /// Reflection (`dump`, debuggers) shows versions only.
    public var customMirror: Mirror {
        Mirror(self, children: ["activeVersion": activeVersion, "versions": versions], displayStyle: .struct)
    }

    public var description: String {
        "Keyring(active: \(activeVersion), versions: \(versions.map(String.init).joined(separator: ",")), "
            + "keys: <redacted>)"
    }
}

// MARK: - The environment

extension Keyring {
    /// The keyring from `EARPIECE_ROOT_KEYS` if it is set, else `nil`.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(KeyringError) -> Keyring? {
        guard let value = environment[environmentVariable] else { return nil }
        return try Keyring(environmentValue: value)
    }

    /// Parses `"1:<base64>,2:<base64>"`: decimal versions without sign or leading zero, standard base64 of 32
    /// bytes, no spaces, no empty entries; the highest version is active.
    public init(environmentValue value: String) throws(KeyringError) {
        guard !value.isEmpty else { throw .malformedEnvironment("it is empty") }
        var roots: [RootKey] = []
        for (index, entry) in value.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
            let position = "entry \(index + 1)"
            let parts = entry.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2 else { throw .malformedEnvironment("\(position) is not version:base64") }
            let versionText = parts[0]
            guard !versionText.isEmpty, versionText.allSatisfy({ $0.isASCII && $0.isNumber }),
                versionText.first != "0" || versionText.count == 1,
                let version = UInt32(versionText), version >= 1
            else {
                throw .malformedEnvironment("\(position) has a version that is not a whole number from 1 up")
            }
            let keyText = parts[1]
            guard keyText.count == Self.base64KeyLength, keyText.allSatisfy(Self.isBase64Character),
                let key = Data(base64Encoded: String(keyText)), key.count == RootKey.byteCount
            else {
                throw .malformedEnvironment(
                    "the key of version \(version) is not standard base64 of \(RootKey.byteCount) bytes")
            }
            guard !roots.contains(where: { $0.version == version }) else {
                throw .malformedEnvironment("version \(version) appears twice")
            }
            roots.append(try RootKey(version: version, keyBytes: key))
        }
        let active = roots.map(\.version).max() ?? 0
        try self.init(roots: roots, activeVersion: active)
    }
}

extension Keyring {
    /// Padded standard base64 of 32 bytes is exactly 44 characters.
    fileprivate static let base64KeyLength = 44

    fileprivate static func isBase64Character(_ character: Character) -> Bool {
        guard character.isASCII, let value = character.asciiValue else { return false }
        return (value >= 0x41 && value <= 0x5A) || (value >= 0x61 && value <= 0x7A) || (value >= 0x30 && value <= 0x39)
            || character == "+" || character == "/" || character == "="
    }
}

// MARK: - The keyring file

extension Keyring {
    /// Reads `<dataDirectory>/keys/keyring.json`, or creates it (mode 0600, in a 0700 folder) with one random
    /// root key of version 1 if there is none yet.
    ///
    /// Refuses a file that the group or others may use, a symbolic link, or one whose contents are malformed.
    public static func loadOrCreate(dataDirectory: String) throws(KeyringError) -> Keyring {
        let path = KeyringFileSystem.join(dataDirectory, relativePath)
        try KeyringFileSystem.ensurePrivateDirectory(KeyringFileSystem.join(dataDirectory, "keys"))
        if let existing = try load(path: path) { return existing }
        let keyring = try Keyring(roots: [try RootKey.generate(version: 1)], activeVersion: 1)
        if try KeyringFileSystem.createOwnerOnlyFile(path, contents: try keyring.encodedFile(path: path)) {
            return keyring
        }
        // Another process created the keyring between our read and our write: use theirs.
        guard let existing = try load(path: path) else {
            throw .keyringFile("\(path) vanished while it was being created")
        }
        return existing
    }

    /// The root keys from `EARPIECE_ROOT_KEYS` if it is set, else from the keyring file in `dataDirectory`.
    public static func resolve(
        dataDirectory: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(KeyringError) -> Keyring {
        if let fromEnvironment = try fromEnvironment(environment) { return fromEnvironment }
        return try loadOrCreate(dataDirectory: dataDirectory)
    }

    /// Appends a new random root key to the keyring file in `dataDirectory` and makes it active; the file is
    /// replaced atomically. Data keys wrapped under older versions still unwrap; rewrap them in the background.
    @discardableResult
    public static func rotate(dataDirectory: String, created: Date = Date()) throws(KeyringError) -> Keyring {
        let path = KeyringFileSystem.join(dataDirectory, relativePath)
        guard let current = try load(path: path) else {
            throw .keyringFile("\(path) does not exist; start Earpiece once to create it")
        }
        let rotated = try current.rotated(created: created)
        try KeyringFileSystem.replaceOwnerOnlyFile(path, contents: try rotated.encodedFile(path: path))
        return rotated
    }

    /// Reads the keyring at `path`, or returns `nil` if there is no file.
    public static func load(path: String) throws(KeyringError) -> Keyring? {
        guard let bytes = try KeyringFileSystem.readOwnerOnlyFile(path, maximumSize: 1 << 20) else { return nil }
        let file: KeyringFile
        do {
            file = try decoder.decode(KeyringFile.self, from: Data(bytes))
        } catch {
            throw .malformedKeyring(
                path: path, reason: "not a JSON object with version, active and roots (version, key, created)")
        }
        guard file.version == fileFormatVersion else {
            throw .malformedKeyring(path: path, reason: "format version \(file.version) is not \(fileFormatVersion)")
        }
        var roots: [RootKey] = []
        for entry in file.roots {
            guard let key = Data(base64Encoded: entry.key), key.count == RootKey.byteCount else {
                throw .malformedKeyring(
                    path: path,
                    reason: "the key of version \(entry.version) is not base64 of \(RootKey.byteCount) bytes")
            }
            do {
                roots.append(try RootKey(version: entry.version, keyBytes: key, created: entry.created))
            } catch {
                throw .malformedKeyring(path: path, reason: error.description)
            }
        }
        do {
            return try Keyring(roots: roots, activeVersion: file.active)
        } catch {
            throw .malformedKeyring(path: path, reason: error.description)
        }
    }

    private func encodedFile(path: String) throws(KeyringError) -> [UInt8] {
        let file = KeyringFile(
            version: Self.fileFormatVersion, active: activeVersion,
            roots: versions.compactMap { roots[$0] }.map { root in
                KeyringFile.Root(
                    version: root.version, key: Data(root.keyBytes).base64EncodedString(),
                    created: root.created ?? Date())
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.dateEncodingStrategy = .iso8601
        do {
            return try Array(encoder.encode(file)) + [UInt8(ascii: "\n")]
        } catch {
            throw .keyringFile("cannot encode the keyring for \(path)")
        }
    }

    private static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    /// The file's JSON: `{"version":1,"active":N,"roots":[{"version":1,"key":"<base64>","created":"<ISO8601>"}]}`.
    private struct KeyringFile: Codable {
        struct Root: Codable {
            let version: UInt32
            let key: String
            let created: Date
        }
        let version: Int
        let active: UInt32
        let roots: [Root]
    }
}
