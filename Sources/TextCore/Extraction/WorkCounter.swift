import Foundation

/// Counts the inner operations of the text core (dictionary probes while segmenting, word-list and
/// gazetteer lookups, date and number matches per position) so a test can check that extraction
/// grows linearly with its input without timing anything. Counted in debug builds only, where
/// tests run: release builds compile the calls away and keep the inner loops free of locks.
public enum WorkCounter {
    #if DEBUG
    private static let lock = NSLock()
    nonisolated(unsafe) private static var count = 0   // guarded by `lock`
    #endif

    @inline(__always) static func add(_ n: Int) {
        #if DEBUG
        lock.lock(); count += n; lock.unlock()
        #endif
    }

    /// Operations counted so far in this process (0 in release builds).
    public static var total: Int {
        #if DEBUG
        lock.lock(); defer { lock.unlock() }
        return count
        #else
        return 0
        #endif
    }

    /// The operations `body` performed.
    public static func measure(_ body: () -> Void) -> Int {
        let before = total
        body()
        return total - before
    }
}
