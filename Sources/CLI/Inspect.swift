import ArgumentParser
import Foundation
import TextCore

/// Runs the text core on a local file without a database: what clean would make of it.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show what the clean stage makes of a file (no database needed).")
    @Argument(help: "A text or HTML file.") var file: String
    @Option(help: "Publication date to assume (YYYY-MM-DD).") var published: String?

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else { throw CLIError("cannot read \(file)") }
        let out = try Cleaner.clean(.init(bytes: [UInt8](data), contentType: file.hasSuffix("html") ? "text/html" : nil,
                                          published: published, url: nil, sourceID: file))
        print("charset \(out.charset); \(out.articles.count) article(s)")
        for w in out.warnings { print("warning: \(w)") }
        for a in out.articles {
            print("\n=== article \(a.index): \(a.headline ?? "(no headline)") | \(a.byline ?? "(no byline)") | \(a.published ?? "-")")
            if !a.markers.isEmpty { print("markers: \(a.markers.joined(separator: ", "))") }
            print(a.text)
        }
    }
}
