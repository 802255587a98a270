import ArgumentParser
import Foundation
import Runtime
import TextCore

/// Clean and extract a source folder without a database: the three exports as the pipeline would
/// write them, for trying the text core on a folder of documents (and for scoring it quickly).
struct Preview: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Clean and extract a folder with a manifest.json, without a database; write the exports as JSON Lines.")
    @Option(help: "Configuration file (default config/tideline.toml); its folder holds the lexicons.") var config: String?
    @Option(help: "A folder with manifest.json and the files it lists.") var source: String
    @Option(help: "Folder to write articles.jsonl, indicators.jsonl and milestones.jsonl into.") var out: String

    func run() throws {
        let cfg = try Config.load(path: config)
        let extractor = Extractor(lexicon: try Lexicon.load(lexiconDir: cfg.lexiconDir))
        let folder = URL(fileURLWithPath: source)
        var articles: [ExportRow] = [], indicators: [ExportRow] = [], milestones: [ExportRow] = []
        for entry in try ManifestEntry.load(folder: folder) {
            let path = folder.appendingPathComponent(entry.file).path
            guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read \(path)") }
            let doc = (entry.file as NSString).deletingPathExtension
            let cleaned: Cleaner.Output
            do {
                cleaned = try Cleaner.clean(.init(bytes: [UInt8](data), contentType: entry.file.hasSuffix("html") ? "text/html" : nil,
                                                  published: entry.published, url: entry.url, sourceID: entry.file))
            } catch {
                note("\(entry.file): \(error)"); continue
            }
            for a in cleaned.articles {
                articles.append(ExportRows.article(doc: doc, a))
                let found = extractor.extract(ArticleText(text: a.text, headline: a.headline, published: a.published ?? entry.published,
                                                          homeRegion: entry.homeRegion))
                indicators += found.indicators.map { ExportRows.indicator(doc: doc, $0) }
                milestones += found.milestones.map { ExportRows.milestone(doc: doc, $0) }
            }
        }
        let dir = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, rows) in [("articles", articles), ("indicators", indicators), ("milestones", milestones)] {
            try Exports.jsonl(rows).write(to: dir.appendingPathComponent("\(name).jsonl"), atomically: true, encoding: .utf8)
        }
        note("\(articles.count) articles, \(indicators.count) indicators, \(milestones.count) milestones → \(dir.path)")
    }
}
