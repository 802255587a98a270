import Foundation
import Stages

extension StageContext {
    public static func load(config: Config) throws -> StageContext {
        StageContext(fileRoots: config.fileRoots, configDir: config.configDir)
    }
}
