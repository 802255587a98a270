import Foundation

/// The one place that turns SIGINT, SIGTERM and SIGHUP into an orderly stop, for the workers (drain
/// in-flight jobs) and for every command that starts the embedded server (`up`, `report`, `export`
/// …: stop what it started, then exit 128+signal). The first signal runs the handler once; the
/// default actions are ignored while it is installed, so a second signal cannot cut the stop short.
/// (swift-service-lifecycle was considered: it runs services as Swift concurrency tasks, while a
/// worker's executors are threads blocked in libpq, each owning its connection; its graceful
/// shutdown would come down to this same "set stopping, let the threads drain" and add a package
/// to every build. Decided against.)
public final class ShutdownSignals: @unchecked Sendable {   // `fired` is guarded by `lock`
    public static let handled: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    private var sources: [DispatchSourceSignal] = []
    private let lock = NSLock()
    private var fired = false

    public init(_ handler: @escaping @Sendable (Int32) -> Void) {
        for sig in Self.handled {
            #if !os(Linux)
            // Darwin's kqueue reports a signal without replacing its default action, so it must be
            // ignored; on Linux libdispatch installs a handler of its own when the source resumes,
            // and ignoring it first would drop a signal that arrives in between (a worker stopped
            // while starting up would keep running).
            signal(sig, SIG_IGN)
            #endif
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [weak self] in
                guard let self else { return }
                self.lock.lock()
                let first = !self.fired
                self.fired = true
                self.lock.unlock()
                if first { handler(sig) }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Uninstalls the handlers and restores the default actions.
    public func cancel() {
        for s in sources { s.cancel() }
        for sig in Self.handled { signal(sig, SIG_DFL) }
        sources = []
    }

    public static func name(_ sig: Int32) -> String {
        switch sig { case SIGINT: return "SIGINT"; case SIGTERM: return "SIGTERM"; case SIGHUP: return "SIGHUP"; default: return "signal \(sig)" }
    }
}
