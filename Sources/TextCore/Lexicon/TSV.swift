/// Tab-separated lexicon files: one row per line, `#` comments and blank lines skipped, each field
/// trimmed of spaces and carriage returns. Split over UTF-8 bytes (tab, newline and `#` are
/// ASCII, so a byte never falls inside a character): splitting `String`s by `Character` walks
/// grapheme boundaries and was most of a worker's start-up time. A `\r\n` line ending is a line
/// end like `\n`.
enum TSV {
    static func rows(_ text: String) -> [(fields: [String], line: Int)] {
        var out: [(fields: [String], line: Int)] = []
        forEachLine(text) { bytes, line in
            let (first, end) = trimmed(bytes, bytes.startIndex, bytes.endIndex)
            guard first < end, bytes[first] != UInt8(ascii: "#") else { return }
            var start = first
            var fields: [String] = []
            while true {
                var stop = start
                while stop < end, bytes[stop] != UInt8(ascii: "\t") { stop += 1 }
                let (a, b) = trimmed(bytes, start, stop)
                fields.append(String(decoding: bytes[a..<b], as: UTF8.self))
                if stop == end { break }
                start = stop + 1
            }
            out.append((fields, line))
        }
        return out
    }

    /// Calls `body` with each line's bytes (without its `\n`) and its 1-based number.
    static func forEachLine(_ text: String, _ body: (UnsafeBufferPointer<UInt8>.SubSequence, Int) throws -> Void) rethrows {
        var text = text
        try text.withUTF8 { bytes in
            var start = 0, line = 0
            while start <= bytes.count {
                var stop = start
                while stop < bytes.count, bytes[stop] != UInt8(ascii: "\n") { stop += 1 }
                line += 1
                try body(bytes[start..<stop], line)
                start = stop + 1
            }
        }
    }

    /// Spaces, tabs and carriage returns at either end (the files are written with ASCII layout).
    static func trimmed(_ b: UnsafeBufferPointer<UInt8>.SubSequence, _ start: Int, _ end: Int) -> (Int, Int) {
        func blank(_ c: UInt8) -> Bool { c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") }
        var s = start, e = end
        while s < e, blank(b[s]) { s += 1 }
        while e > s, blank(b[e - 1]) { e -= 1 }
        return (s, e)
    }
}
