import Foundation

/// Checks at the door: what `enqueue`, `up` and manifests hand the pipeline is refused there, with
/// the reason, instead of dying later in a worker. Each bad entry is refused on its own; the good
/// ones still go in.
public enum Intake {
    public struct Refused: Error, CustomStringConvertible, Equatable {
        public let source: String
        public let reason: String
        public var description: String { "\(source): \(reason)" }
        public init(source: String, reason: String) { self.source = source; self.reason = reason }
    }

    /// A source as the fetch stage will read it: an http(s) URL as given, or a file path made
    /// absolute against `cwd` (the caller's folder, not the worker's), with `..` and symlinks
    /// resolved, lying inside one of `roots` on a path boundary, and naming an existing file.
    public static func source(_ given: String, roots: [URL], cwd: URL) -> Result<String, Refused> {
        func refuse(_ reason: String) -> Result<String, Refused> { .failure(Refused(source: given, reason: reason)) }
        if let bad = controlCharacter(in: given) { return refuse("contains the control character \(bad)") }
        if let colon = given.range(of: "://") {
            let scheme = given[..<colon.lowerBound].lowercased()
            guard scheme == "http" || scheme == "https" else {
                return refuse(scheme == "file" ? "give a file as a path, not a file:// URL" : "\(scheme):// is not fetched: only http and https URLs, or file paths")
            }
            guard let url = URL(string: given), url.host?.isEmpty == false else { return refuse("not a valid URL") }
            return .success(given)
        }
        let url = URL(fileURLWithPath: given, relativeTo: URL(fileURLWithPath: cwd.path, isDirectory: true)).standardizedFileURL.resolvingSymlinksInPath()
        guard roots.contains(where: { contains($0, url) }) else {
            return refuse("outside the allowed source folders (\(roots.map(\.path).joined(separator: ", "))); add its folder to fetch.roots in config/tideline.toml")
        }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) else { return refuse("no such file") }
        guard !isDir.boolValue else { return refuse("a folder, not a document (give its manifest to `tideline up --source`)") }
        return .success(url.path)
    }

    /// Whether `root` contains `url` on a path-component boundary (/x contains /x/a, not /x-work).
    public static func contains(_ root: URL, _ url: URL) -> Bool {
        let r = root.standardizedFileURL.path, p = url.standardizedFileURL.path
        return p == r || p.hasPrefix(r.hasSuffix("/") ? r : r + "/")
    }

    /// What is wrong with a document's metadata, or nil: a publication date that is not an ISO
    /// calendar date, or a control character in any field (a NUL would fail the whole insert).
    public static func problem(with meta: DocumentMetadata) -> String? {
        if let p = meta.published, !isISODate(p) { return "published '\(p)' is not a date written YYYY-MM-DD" }
        for (name, value) in [("published", meta.published), ("source", meta.source), ("home_region", meta.homeRegion),
                              ("url", meta.url), ("note", meta.note)] {
            if let v = value, let bad = controlCharacter(in: v) { return "\(name) contains the control character \(bad)" }
        }
        return nil
    }

    /// YYYY-MM-DD naming a real day.
    public static func isISODate(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), (1...12).contains(m), d >= 1 else { return false }
        let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        return d <= days
    }

    static func controlCharacter(in s: String) -> String? {
        s.unicodeScalars.first { $0.properties.generalCategory == .control }.map { String(format: "U+%04X", $0.value) }
    }
}
