import Foundation

/// JSON written by hand where the key order must be fixed (exports, log lines): Foundation's
/// encoder on Linux does not keep key order and escapes slashes.
public enum JSONText {
    /// A JSON string literal: quotes, backslashes and control characters escaped, nothing else.
    public static func quoted(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where c.value < 0x20: out += String(format: "\\u%04x", c.value)
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }
}
