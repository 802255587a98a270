import Foundation

/// Which network addresses a fetch may reach: globally reachable ones only, unless allow-listed
/// (server-side request forgery). The refused ranges are IANA's special-purpose address registries
/// for IPv4 and IPv6, and IPv6 forms that carry an IPv4 address (mapped, NAT64, 6to4) are judged by
/// the IPv4 address they carry.
public enum AddressPolicy {
    /// nil when the address may be fetched; otherwise why it is refused. An address that does not
    /// parse is refused too: a fetch must connect to an address it has checked.
    public static func refusal(_ address: String) -> String? {
        if let v4 = ipv4(address) { return refusal(v4: v4) }
        guard let v6 = ipv6(address) else { return "not an IP address" }
        return refusal(v6: v6)
    }

    struct Range { let prefix: [UInt8]; let bits: Int; let why: String }

    static let v4Ranges: [Range] = [
        .init(prefix: [0], bits: 8, why: "in \"this network\" (0.0.0.0/8)"),
        .init(prefix: [10], bits: 8, why: "a private address"),
        .init(prefix: [100, 64], bits: 10, why: "a carrier-grade NAT address"),
        .init(prefix: [127], bits: 8, why: "a loopback address"),
        .init(prefix: [169, 254], bits: 16, why: "a link-local address"),
        .init(prefix: [172, 16], bits: 12, why: "a private address"),
        .init(prefix: [192, 0, 0], bits: 24, why: "an IETF protocol assignment (192.0.0.0/24)"),
        .init(prefix: [192, 0, 2], bits: 24, why: "a documentation address"),
        .init(prefix: [192, 88, 99], bits: 24, why: "a 6to4 relay anycast address"),
        .init(prefix: [192, 168], bits: 16, why: "a private address"),
        .init(prefix: [198, 18], bits: 15, why: "a benchmarking address"),
        .init(prefix: [198, 51, 100], bits: 24, why: "a documentation address"),
        .init(prefix: [203, 0, 113], bits: 24, why: "a documentation address"),
        .init(prefix: [224], bits: 4, why: "a multicast address"),
        .init(prefix: [240], bits: 4, why: "a reserved address (240.0.0.0/4)"),
    ]

    static let v6Ranges: [Range] = [
        .init(prefix: [0x00, 0x64, 0xff, 0x9b, 0, 1], bits: 48, why: "a local-use NAT64 address"),
        .init(prefix: [0x01, 0x00, 0, 0, 0, 0, 0, 0], bits: 64, why: "a discard-only address"),
        .init(prefix: [0x20, 0x01, 0x0d, 0xb8], bits: 32, why: "a documentation address"),
        .init(prefix: [0x20, 0x01, 0x00], bits: 23, why: "an IETF protocol assignment (2001::/23, Teredo among them)"),
        .init(prefix: [0x3f, 0xff, 0x00], bits: 20, why: "a documentation address"),
        .init(prefix: [0xfc], bits: 7, why: "a private (unique-local) address"),
        .init(prefix: [0xfe, 0x80], bits: 10, why: "a link-local address"),
        .init(prefix: [0xfe, 0xc0], bits: 10, why: "a site-local address"),
        .init(prefix: [0xff], bits: 8, why: "a multicast address"),
    ]

    static func matches(_ bytes: [UInt8], _ r: Range) -> Bool {
        var bits = r.bits, i = 0
        while bits > 0 {
            let mask: UInt8 = bits >= 8 ? 0xff : ~(0xff >> UInt8(bits))
            if bytes[i] & mask != r.prefix[i] & mask { return false }
            bits -= 8; i += 1
        }
        return true
    }

    static func refusal(v4 b: [UInt8]) -> String? {
        if b == [255, 255, 255, 255] { return "the broadcast address" }
        return v4Ranges.first { matches(b, $0) }?.why
    }

    static func refusal(v6 b: [UInt8]) -> String? {
        let head = Array(b[0..<12])
        if b == [UInt8](repeating: 0, count: 16) { return "the unspecified address" }
        if b == [UInt8](repeating: 0, count: 15) + [1] { return "a loopback address" }
        // IPv4 inside IPv6: mapped (::ffff:a.b.c.d), NAT64 (64:ff9b::a.b.c.d), 6to4 (2002:aabb:ccdd::).
        if head == [UInt8](repeating: 0, count: 10) + [0xff, 0xff] || head == [0x00, 0x64, 0xff, 0x9b] + [UInt8](repeating: 0, count: 8) {
            return refusal(v4: Array(b[12..<16])).map { $0 + " (inside an IPv6 address)" }
        }
        if b[0] == 0x20 && b[1] == 0x02 { return refusal(v4: Array(b[2..<6])).map { $0 + " (inside a 6to4 address)" } }
        // ::a.b.c.d, the deprecated IPv4-compatible form, and anything else in ::/8.
        if b[0] == 0 { return "a reserved IPv6 address (::/8, IPv4-compatible forms among them)" }
        return v6Ranges.first { matches(b, $0) }?.why
    }

    static func ipv4(_ s: String) -> [UInt8]? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var out: [UInt8] = []
        for p in parts {
            guard (1...3).contains(p.count), p.allSatisfy({ $0.isASCII && $0.isNumber }), let v = UInt8(p) else { return nil }
            out.append(v)
        }
        return out
    }

    /// Sixteen bytes from an IPv6 address in any textual form (:: compression, a dotted IPv4
    /// tail, brackets, a %zone).
    static func ipv6(_ text: String) -> [UInt8]? {
        var s = Substring(text)
        if s.first == "[", s.last == "]" { s = s.dropFirst().dropLast() }
        if let zone = s.firstIndex(of: "%") { s = s[..<zone] }
        func groups(_ part: Substring) -> [UInt8]? {
            guard !part.isEmpty else { return [] }
            var out: [UInt8] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (k, piece) in pieces.enumerated() {
                if k == pieces.count - 1, piece.contains(".") {
                    guard let v4 = ipv4(String(piece)) else { return nil }
                    out += v4
                } else {
                    guard (1...4).contains(piece.count), let v = UInt16(piece, radix: 16) else { return nil }
                    out += [UInt8(v >> 8), UInt8(v & 0xff)]
                }
            }
            return out
        }
        let halves = s.components(separatedBy: "::")
        switch halves.count {
        case 1:
            guard let all = groups(Substring(halves[0])), all.count == 16 else { return nil }
            return all
        case 2:
            guard let head = groups(Substring(halves[0])), let tail = groups(Substring(halves[1])), head.count + tail.count <= 14 else { return nil }
            return head + [UInt8](repeating: 0, count: 16 - head.count - tail.count) + tail
        default:
            return nil
        }
    }
}
