import Foundation

/// What the stages read once at start: file-source roots and the text core's lexicons.
public struct StageContext: Sendable {
    /// Folders file sources may be read from; a path outside them (after resolving `..` and
    /// symlinks) is refused.
    public var fileRoots: [URL]
    public var configDir: URL
    /// Largest document accepted, in bytes.
    public var maxDocumentBytes: Int = 20 * 1024 * 1024

    public init(fileRoots: [URL], configDir: URL) {
        self.fileRoots = fileRoots.map { $0.resolvingSymlinksInPath().standardizedFileURL }
        self.configDir = configDir
    }
}
