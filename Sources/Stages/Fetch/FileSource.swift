import Foundation
import Queue

/// Local files as sources, confined to configured roots.
enum FileSource {
    /// Resolves a path (relative to the working folder) with `..` and symlinks followed, and
    /// refuses it unless it lies inside one of `roots`.
    static func resolve(_ path: String, roots: [URL]) throws -> URL {
        let url = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath()
        guard roots.contains(where: { Intake.contains($0, url) }) else {
            throw PermanentJobError("\(path) is outside the allowed source folders (\(roots.map(\.path).joined(separator: ", "))); add its folder to fetch.roots in config/tideline.toml")
        }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) else {
            throw PermanentJobError("\(path): no such file")
        }
        guard !isDir.boolValue else { throw PermanentJobError("\(path) is a folder, not a document") }
        return url
    }

    static func read(_ url: URL, maxBytes: Int) throws -> [UInt8] {
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        guard size <= maxBytes else {
            throw PermanentJobError("\(url.path) is \(size) bytes, over the \(maxBytes)-byte cap")
        }
        do { return [UInt8](try Data(contentsOf: url)) } catch {
            throw PermanentJobError("cannot read \(url.path): \(error.localizedDescription)")
        }
    }

    /// The document's id: its path below the root it lies in (`seeds/000_….txt` → `000_….txt`
    /// when `seeds` is the root; the root's own name is kept for readability).
    static func sourceID(for url: URL, roots: [URL]) -> String {
        for root in roots where url.path.hasPrefix(root.path + "/") {
            return root.lastPathComponent + "/" + String(url.path.dropFirst(root.path.count + 1))
        }
        return url.path
    }

    static func contentType(of url: URL) -> String {
        switch url.pathExtension.lowercased() {
        case "html", "htm", "shtml", "xhtml": return "text/html"
        case "pdf": return "application/pdf"
        default: return "text/plain"
        }
    }
}
