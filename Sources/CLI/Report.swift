import ArgumentParser
import Foundation
import Reports
import Store

/// The reporting tables for people: a terminal table, or one self-contained HTML page.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the latest indicators and the milestone timeline, or write them as an HTML page.")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "Only this region (as normalised: 舟山市, 定海区).") var region: String?
    @Option(help: "Only metrics whose name or a source's label contains this text.") var metric: String?
    @Option(help: "Only periods and milestone dates from this one on (YYYY, YYYY-MM or YYYY-MM-DD).") var since: String?
    @Option(help: "Write a self-contained HTML page (charts, sources, queue) to this file instead.") var html: String?
    @Flag(help: "Show each figure's evidence sentence under it.") var evidence = false
    @Flag(help: "Print the rows as JSON (every row with its sources; keys sorted).") var json = false
    @Option(help: "Width in columns (default: the terminal's, else 100).") var width: Int = Terminal.columns.map { max(80, $0) } ?? 100

    func validate() throws {
        if let since, !Self.isDate(since) { throw ValidationError("--since takes YYYY, YYYY-MM or YYYY-MM-DD, not \(since)") }
        if width < 80 { throw ValidationError("--width must be at least 80") }
    }

    static func isDate(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        return (1...3).contains(parts.count) && parts[0].count == 4 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
            && parts.dropFirst().allSatisfy { $0.count == 2 }
    }

    func run() throws {
        let (session, _) = try db.session()
        defer { session.close() }
        let conn = try session.connectReading()
        let data = try ReportQueries.load(conn, filter: ReportFilter(region: region, metric: metric, since: since))
        if json {
            try QueueCommand.printJSON(data)
        } else if let html {
            try HTMLReport.render(data).write(toFile: html, atomically: true, encoding: .utf8)
            note("wrote \(html): \(data.indicators.count) indicator rows, \(data.series.count) charts, \(data.milestones.count) milestones")
        } else {
            print(TerminalReport.render(data, width: width, evidence: evidence), terminator: "")
        }
    }
}
