import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The terminal the output goes to, when it is one.
enum Terminal {
    /// Columns of standard output's terminal, else `COLUMNS`, else nil (a pipe or a file: no cut).
    static var columns: Int? {
        var size = winsize()
        if isatty(STDOUT_FILENO) != 0, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return ProcessInfo.processInfo.environment["COLUMNS"].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil }
    }
}
