/// One message from the client, as the session sees it: no HTTP or WebSocket types here.
public enum CallInput: Sendable {
    /// A binary message: audio in the stream's container.
    case audio([UInt8])
    /// A text message: JSON control.
    case text(String)
}
