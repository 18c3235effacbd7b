import EarpieceVault
import Synchronization

/// The keyring that recordings are wrapped with, replaceable while the server runs: after `earpiece keys
/// rotate`, the next `reload` makes the new version active for new recordings without a restart.
public final class RecordingKeys: Sendable {
    private let wrapper: Mutex<DataKeyWrapper>
    private let dataDirectory: String?

    /// Keys from `keyring`; with `dataDirectory`, `reload` re-resolves the keyring from there (or the
    /// environment) when asked.
    public init(keyring: Keyring, dataDirectory: String? = nil) {
        self.wrapper = Mutex(DataKeyWrapper(keyring: keyring))
        self.dataDirectory = dataDirectory
    }

    /// The wrapper for the keyring as last loaded.
    public var current: DataKeyWrapper { wrapper.withLock { $0 } }

    /// Re-reads the keyring; returns the active version afterwards. A keyring that fails to load leaves the
    /// current one in place and throws.
    @discardableResult
    public func reload() throws(KeyringError) -> UInt32 {
        guard let dataDirectory else { return current.keyring.activeVersion }
        let keyring = try Keyring.resolve(dataDirectory: dataDirectory)
        wrapper.withLock { $0 = DataKeyWrapper(keyring: keyring) }
        return keyring.activeVersion
    }
}
