/// Prefix and suffix tests on UTF-8 bytes. `hasPrefix`/`hasSuffix` compare canonically equivalent
/// forms grapheme by grapheme, several times slower; the rules' words and labels are compared as
/// written, so the bytes are enough (and the same, for the NFC text clean produces).
extension StringProtocol {
    @inline(__always) func startsWith<T: StringProtocol>(_ p: T) -> Bool {
        utf8.count >= p.utf8.count && utf8.prefix(p.utf8.count).elementsEqual(p.utf8)
    }
    @inline(__always) func endsWith<T: StringProtocol>(_ p: T) -> Bool {
        utf8.count >= p.utf8.count && utf8.suffix(p.utf8.count).elementsEqual(p.utf8)
    }
}
