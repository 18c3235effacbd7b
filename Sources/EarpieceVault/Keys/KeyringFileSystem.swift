import EarpieceKeyFiles

/// The keyring file, through `OwnerOnlyFiles`, with its errors as `KeyringError.keyringFile`.
enum KeyringFileSystem {
    static func join(_ directory: String, _ name: String) -> String { OwnerOnlyFiles.join(directory, name) }

    static func ensurePrivateDirectory(_ path: String) throws(KeyringError) {
        do { try OwnerOnlyFiles.ensurePrivateDirectory(path) } catch { throw .keyringFile(error.reason) }
    }

    static func readOwnerOnlyFile(_ path: String, maximumSize: Int) throws(KeyringError) -> [UInt8]? {
        do { return try OwnerOnlyFiles.readOwnerOnlyFile(path, maximumSize: maximumSize) } catch { throw .keyringFile(error.reason) }
    }

    static func createOwnerOnlyFile(_ path: String, contents: [UInt8]) throws(KeyringError) -> Bool {
        do { return try OwnerOnlyFiles.createOwnerOnlyFile(path, contents: contents) } catch { throw .keyringFile(error.reason) }
    }

    static func replaceOwnerOnlyFile(_ path: String, contents: [UInt8]) throws(KeyringError) {
        do { try OwnerOnlyFiles.replaceOwnerOnlyFile(path, contents: contents) } catch { throw .keyringFile(error.reason) }
    }
}
