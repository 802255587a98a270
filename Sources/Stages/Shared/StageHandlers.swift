import Queue

/// The handler of each stage.
public enum StageHandlers {
    public static func make(_ stage: Stage, context: StageContext) throws -> any StageHandler {
        switch stage {
        case .fetch: return FetchHandler(context: context)
        case .clean: return CleanHandler(context: context)
        case .extract: return try ExtractHandler(context: context)
        case .aggregate: return try AggregateHandler(context: context)
        }
    }
}
