import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Encodes text as GB18030 through iconv, to make test pages the way Chinese sites serve them.
public func gb18030(_ s: String) -> [UInt8] {
    let cd = iconv_open("GB18030", "UTF-8")
    precondition(cd != iconv_t(bitPattern: -1), "iconv has no GB18030")
    defer { iconv_close(cd) }
    var input = Array(s.utf8)
    var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
    var inLeft = input.count, outLeft = output.count
    input.withUnsafeMutableBufferPointer { i in
        output.withUnsafeMutableBufferPointer { o in
            var ip: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(i.baseAddress)?.assumingMemoryBound(to: CChar.self)
            var op: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(o.baseAddress)?.assumingMemoryBound(to: CChar.self)
            _ = iconv(cd, &ip, &inLeft, &op, &outLeft)
        }
    }
    return Array(output.prefix(output.count - outLeft))
}
