import EarpieceKeyFiles

/// Key files for auth (the dev signing key, the JWKS file), through `OwnerOnlyFiles`, with its errors as
/// `AuthError.keyFile`.
enum KeyFileSystem {
    static func join(_ directory: String, _ name: String) -> String { OwnerOnlyFiles.join(directory, name) }
    static func randomHex(bytes count: Int) -> String { OwnerOnlyFiles.randomHex(bytes: count) }

    static func ensurePrivateDirectory(_ path: String) throws(AuthError) {
        do { try OwnerOnlyFiles.ensurePrivateDirectory(path) } catch { throw .keyFile(error.reason) }
    }

    static func readOwnerOnlyFile(_ path: String, maximumSize: Int) throws(AuthError) -> [UInt8]? {
        do { return try OwnerOnlyFiles.readOwnerOnlyFile(path, maximumSize: maximumSize) } catch { throw .keyFile(error.reason) }
    }

    static func readOwnerWritableFile(_ path: String, maximumSize: Int) throws(AuthError) -> [UInt8] {
        do { return try OwnerOnlyFiles.readOwnerWritableFile(path, maximumSize: maximumSize) } catch { throw .keyFile(error.reason) }
    }

    static func createOwnerOnlyFile(_ path: String, contents: [UInt8]) throws(AuthError) -> Bool {
        do { return try OwnerOnlyFiles.createOwnerOnlyFile(path, contents: contents) } catch { throw .keyFile(error.reason) }
    }
}
