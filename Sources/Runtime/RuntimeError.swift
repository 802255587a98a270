/// What went wrong in the runtime (the embedded server, a manifest, the worker executables, the
/// metrics listener), said so that the reader knows what to do: the one error type of the module
/// besides the configuration's own (`Config.Invalid`, which names the key and where it was set).
public struct RuntimeError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
