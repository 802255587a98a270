import Foundation
import Stages

/// `manifest.json` of a source folder: a list of files with their publication metadata. An entry
/// is its file and a `DocumentMetadata` (the fields are that type's, read and written flat beside
/// `file`, and reachable as `entry.published` and so on), so the two cannot drift apart.
@dynamicMemberLookup
public struct ManifestEntry: Codable, Sendable {
    public var file: String
    public var metadata: DocumentMetadata

    public init(file: String, metadata: DocumentMetadata = DocumentMetadata()) { self.file = file; self.metadata = metadata }

    public subscript<T>(dynamicMember field: WritableKeyPath<DocumentMetadata, T>) -> T {
        get { metadata[keyPath: field] }
        set { metadata[keyPath: field] = newValue }
    }

    enum CodingKeys: String, CodingKey { case file }

    public init(from decoder: any Decoder) throws {
        file = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .file)
        metadata = try DocumentMetadata(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(file, forKey: .file)
        try metadata.encode(to: encoder)
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

