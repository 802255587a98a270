import ArgumentParser
import Foundation
import Postgres
import Queue
import Runtime
import Stages
import Store

/// A folder watched for new files: every new or modified file (by size and modification time) is
/// enqueued for fetch; the fetch stage's content hash keeps an unchanged file from going further.
struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Watch a folder and enqueue every new or changed file for fetch.")
    @OptionGroup var db: DatabaseOptions
    @Argument(help: "The folder (inside fetch.roots).") var folder: String
    @Option(help: "Seconds between scans.") var interval: Double = 5
    @Option(help: "Publication date for the files (else from each page).") var published: String?
    @Option(help: "Home region (全市/我市 resolve to it).") var homeRegion: String?
    @Option(help: "Source name (the paper or site).") var sourceName: String?
    @Flag(help: "Scan once and exit.") var once = false

    func run() throws {
        let (session, config) = try db.session()
        defer { session.close() }
        let conn = try session.connect()
        try Schema.migrate(conn)
        let meta = DocumentMetadata(published: published, source: sourceName, homeRegion: homeRegion)
        var seen: [String: String] = [:]
        note("watching \(folder) every \(interval) s (Ctrl-C to stop)")
        repeat {
            let changed = try Self.scan(folder, seen: &seen)
            if !changed.isEmpty {
                let ids = try JobQueue.enqueue(conn, config.attempting(try changed.map { try Enqueue.fetchJob($0, meta) }))
                note("enqueued \(ids.count) new or changed file(s)")
            }
            if !once { Thread.sleep(forTimeInterval: interval) }
        } while !once
    }

    /// Files of the folder (not hidden, not manifest.json) whose size or modification time differ
    /// from the last scan.
    static func scan(_ folder: String, seen: inout [String: String]) throws -> [String] {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: folder) else {
            throw CLIError("cannot read the folder \(folder)")
        }
        var changed: [String] = []
        for name in names.sorted() where !name.hasPrefix(".") && name != "manifest.json" {
            let path = (folder as NSString).appendingPathComponent(name)
            guard let attrs = try? fm.attributesOfItem(atPath: path), attrs[.type] as? FileAttributeType == .typeRegular else { continue }
            let stamp = "\(attrs[.size] ?? 0)|\((attrs[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
            if seen[path] != stamp { seen[path] = stamp; changed.append(path) }
        }
        return changed
    }
}
