import Foundation
@testable import TextCore

/// The project's own lexicons (config/), loaded once for every text-core test.
let testLexicon: Lexicon = {
    let config = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("config")
    do { return try Lexicon.load(lexiconDir: config) } catch { fatalError("cannot load the lexicons in \(config.path): \(error)") }
}()
