import Foundation

/// What the stages read once at start: file-source roots and the text core's lexicons.
public struct StageContext: Sendable {
    /// Folders file sources may be read from; a path outside them (after resolving `..` and
    /// symlinks) is refused.
    public var fileRoots: [URL]
    public var lexiconDir: URL
    /// Largest document accepted, in bytes.
    public var maxDocumentBytes: Int = 20 * 1024 * 1024
    /// How the fetch stage treats web servers.
    public var web = WebPolicy()

    public init(fileRoots: [URL], lexiconDir: URL) {
        self.fileRoots = fileRoots.map { $0.resolvingSymlinksInPath().standardizedFileURL }
        self.lexiconDir = lexiconDir
    }
}

/// Politeness and safety for HTTP sources (config `[fetch]`).
public struct WebPolicy: Sendable {
    public var userAgent = "Tideline/0.1 (+https://github.com/tideline; municipal news indicators)"
    /// Seconds between two requests to one host (robots.txt's Crawl-delay raises it).
    public var delay: Double = 1
    public var timeout: Double = 30
    public var maxRedirects = 5
    public var obeyRobots = true
    /// Hosts (names or addresses) exempt from the private-address refusal, e.g. a test server.
    public var allowHosts: [String] = []
    /// How long a fetched robots.txt is trusted, in seconds.
    public var robotsMaxAge: Double = 86_400
    public init() {}
}
