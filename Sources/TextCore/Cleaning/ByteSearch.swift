/// Substring tests on UTF-8 bytes. Foundation's `String.contains(_:)` goes through CFString and
/// Unicode folding, which was most of the clean stage's time; the patterns here are exact.
extension String {
    func has(_ needle: String) -> Bool {
        var hay = self, pin = needle
        return hay.withUTF8 { h in pin.withUTF8 { n in ByteSearch.find(n, in: h) } }
    }

    func hasAny(_ phrases: PhraseList) -> Bool {
        var hay = self
        return hay.withUTF8 { h in phrases.bytes.contains { p in p.withUnsafeBufferPointer { ByteSearch.find($0, in: h) } } }
    }
}

/// A fixed list of phrases, kept as UTF-8 bytes so that a line is searched without conversions.
public struct PhraseList: Sendable, ExpressibleByArrayLiteral {
    let bytes: [[UInt8]]
    public init(arrayLiteral elements: String...) { bytes = elements.map { Array($0.utf8) } }
    public init(_ elements: [String]) { bytes = elements.map { Array($0.utf8) } }
}

enum ByteSearch {
    static func find(_ n: UnsafeBufferPointer<UInt8>, in h: UnsafeBufferPointer<UInt8>) -> Bool {
        guard n.count > 0 else { return true }
        guard h.count >= n.count else { return false }
        let first = n[0]
        var i = 0
        let last = h.count - n.count
        while i <= last {
            if h[i] == first {
                var j = 1
                while j < n.count && h[i + j] == n[j] { j += 1 }
                if j == n.count { return true }
            }
            i += 1
        }
        return false
    }
}
