import Foundation
import Stages

extension StageContext {
    public static func load(config: Config) throws -> StageContext {
        var context = StageContext(fileRoots: config.fileRoots, lexiconDir: config.lexiconDir)
        context.web = config.web
        context.maxDocumentBytes = config.maxDocumentBytes
        return context
    }
}
