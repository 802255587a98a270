import Foundation
import Stages

/// `manifest.json` of a source folder: a list of files with their publication metadata.
public struct ManifestEntry: Codable, Sendable {
    public var file: String
    public var published: String?
    public var source: String?
    public var homeRegion: String?
    public var url: String?
    public var note: String?
    enum CodingKeys: String, CodingKey {
        case file, published, source, url, note
        case homeRegion = "home_region"
    }

    public var metadata: DocumentMetadata {
        DocumentMetadata(published: published, source: source, homeRegion: homeRegion, url: url, note: note)
    }

    public static func load(folder: URL) throws -> [ManifestEntry] {
        let url = folder.appendingPathComponent("manifest.json")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw RuntimeError("no manifest.json in \(folder.path): a source folder needs one listing its files (see seeds/manifest.json)")
        }
        do { return try JSONDecoder().decode([ManifestEntry].self, from: data) } catch {
            throw RuntimeError("\(url.path) is not a list of {file, published, source, home_region}: \(error)")
        }
    }
}

