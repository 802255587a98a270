import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Bytes to text. The charset comes from a BOM, then the HTTP header, then `<meta charset>`,
/// then byte validation (valid UTF-8 is UTF-8; otherwise GB18030, a superset of GBK and GB2312).
/// Conversion goes through iconv; bytes that do not convert become U+FFFD and are counted.
public struct DecodedText: Sendable, Equatable {
    public let text: String
    public let charset: String
    /// Replacement characters inserted for invalid bytes.
    public let invalidBytes: Int
    public var warnings: [String] {
        invalidBytes == 0 ? [] : ["\(invalidBytes) invalid byte sequence(s) in \(charset) replaced by U+FFFD"]
    }
}

public enum TextDecoding {
    public static func decode(_ bytes: [UInt8], httpContentType: String? = nil) -> DecodedText {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) {
            body = body.dropFirst(3)
            return convert(body, from: "UTF-8")
        }
        if body.starts(with: [0xFF, 0xFE]) { return convert(body.dropFirst(2), from: "UTF-16LE") }
        if body.starts(with: [0xFE, 0xFF]) { return convert(body.dropFirst(2), from: "UTF-16BE") }
        if let declared = httpContentType.flatMap(charset(inContentType:)) ?? metaCharset(body) {
            return convert(body, from: canonical(declared))
        }
        if let text = String(validating: body, as: UTF8.self) { return DecodedText(text: text, charset: "UTF-8", invalidBytes: 0) }
        return convert(body, from: "GB18030")
    }

    /// `text/html; charset=gbk` → gbk.
    public static func charset(inContentType header: String) -> String? {
        for part in header.split(separator: ";") {
            let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if kv.count == 2, kv[0].lowercased() == "charset" {
                return kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"'")).lowercased()
            }
        }
        return nil
    }

    /// `<meta charset="gbk">` or `<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`
    /// in the first 4 KB, read as ASCII.
    static func metaCharset(_ bytes: ArraySlice<UInt8>) -> String? {
        let window = bytes.prefix(4096)
        // Plain text has no markup: skip the search (it is on every document's path).
        guard window.contains(UInt8(ascii: "<")) else { return nil }
        let head = String(decoding: window.map { $0 < 0x80 ? $0 : 0x20 }, as: UTF8.self).lowercased()
        guard head.has("<meta"), let metaRange = head.range(of: "<meta") else { return nil }
        var search = head[metaRange.lowerBound...]
        while let r = search.range(of: "charset=") {
            let rest = search[r.upperBound...].drop(while: { $0 == "\"" || $0 == "'" || $0 == " " })
            let name = rest.prefix(while: { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
            if !name.isEmpty { return String(name) }
            search = search[r.upperBound...]
        }
        return nil
    }

    /// GB2312 and GBK are subsets of GB18030: decode them all as GB18030.
    static func canonical(_ name: String) -> String {
        switch name.lowercased() {
        case "gb2312", "gbk", "gb18030", "x-gbk", "cp936", "windows-936", "euc-cn": return "GB18030"
        case "utf8", "utf-8": return "UTF-8"
        case "big5", "big5-hkscs": return "BIG5"
        default: return name.uppercased()
        }
    }

    static func isValidUTF8(_ bytes: ArraySlice<UInt8>) -> Bool {
        var it = bytes.makeIterator()
        var decoder = Unicode.UTF8()
        while true {
            switch decoder.decode(&it) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// Converts through iconv, replacing each undecodable sequence by U+FFFD and going on.
    static func convert(_ bytes: ArraySlice<UInt8>, from charset: String) -> DecodedText {
        if charset == "UTF-8" {
            var invalid = 0
            var it = bytes.makeIterator()
            var decoder = Unicode.UTF8()
            var out = String.UnicodeScalarView()
            loop: while true {
                switch decoder.decode(&it) {
                case .scalarValue(let s): out.append(s)
                case .emptyInput: break loop
                case .error: invalid += 1; out.append("\u{FFFD}")
                }
            }
            return DecodedText(text: String(out), charset: "UTF-8", invalidBytes: invalid)
        }
        let cd = iconv_open("UTF-8", charset)
        if cd == iconv_t(bitPattern: -1) {
            // Unknown charset label: fall back to detection rather than failing the document.
            let fallback = isValidUTF8(bytes) ? "UTF-8" : "GB18030"
            let d = convert(bytes, from: fallback)
            return DecodedText(text: d.text, charset: fallback, invalidBytes: d.invalidBytes)
        }
        defer { iconv_close(cd) }
        var input = Array(bytes)
        var output = [UInt8]()
        output.reserveCapacity(input.count * 3 / 2 + 16)
        var invalid = 0
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        input.withUnsafeMutableBufferPointer { inBuf in
            var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuf.baseAddress)?.assumingMemoryBound(to: CChar.self)
            var inLeft = inBuf.count
            while inLeft > 0 {
                let (rc, err, produced) = chunk.withUnsafeMutableBufferPointer { outBuf -> (Int, Int32, Int) in
                    var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress)?.assumingMemoryBound(to: CChar.self)
                    var outLeft = outBuf.count
                    let rc = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                    return (rc, errno, outBuf.count - outLeft)
                }
                output.append(contentsOf: chunk[0..<produced])
                if rc == -1 {
                    if err == E2BIG { continue }
                    // EILSEQ or EINVAL (truncated at the end): skip one byte, mark it, go on.
                    invalid += 1
                    output.append(contentsOf: [0xEF, 0xBF, 0xBD])
                    inPtr = inPtr.map { $0 + 1 }
                    inLeft -= 1
                    iconv(cd, nil, nil, nil, nil)
                }
            }
        }
        return DecodedText(text: String(decoding: output, as: UTF8.self), charset: charset, invalidBytes: invalid)
    }
}
