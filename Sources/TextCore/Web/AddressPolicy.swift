/// Which network addresses a fetch may reach: public ones only, unless allow-listed. Refused by
/// default: loopback, private (RFC 1918, unique-local), link-local, carrier-grade NAT,
/// unspecified, multicast and IPv4-mapped forms of those (server-side request forgery).
public enum AddressPolicy {
    /// nil when the address is public; otherwise why it is refused.
    public static func refusal(_ address: String) -> String? {
        if let v4 = ipv4(address) { return refusal(v4) }
        let a = address.lowercased()
        if let mapped = a.range(of: "::ffff:"), let v4 = ipv4(String(a[mapped.upperBound...])) { return refusal(v4) }
        if a == "::1" { return "a loopback address" }
        if a == "::" { return "the unspecified address" }
        if a.hasPrefix("fe8") || a.hasPrefix("fe9") || a.hasPrefix("fea") || a.hasPrefix("feb") { return "a link-local address" }
        if a.hasPrefix("fc") || a.hasPrefix("fd") { return "a private (unique-local) address" }
        if a.hasPrefix("ff") { return "a multicast address" }
        return nil
    }

    static func refusal(_ b: [Int]) -> String? {
        switch (b[0], b[1]) {
        case (127, _): return "a loopback address"
        case (10, _), (192, 168): return "a private address"
        case (172, 16...31): return "a private address"
        case (169, 254): return "a link-local address"
        case (100, 64...127): return "a carrier-grade NAT address"
        case (0, _): return "the unspecified address"
        case (224...239, _): return "a multicast address"
        case (255, 255): return "the broadcast address"
        default: return nil
        }
    }

    static func ipv4(_ s: String) -> [Int]? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        let bytes = parts.compactMap { Int($0) }.filter { (0...255).contains($0) }
        return bytes.count == 4 ? bytes : nil
    }
}
