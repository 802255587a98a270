/// The Chinese a reader of the report expects for the pipeline's closed vocabularies (kinds,
/// qualifiers, GUIDE.md's milestone actions). Exports keep the English codes; pages show these.
enum Labels {
    static func kind(_ k: String) -> String {
        ["actual": "实际", "target": "目标", "change": "变化"][k] ?? k
    }

    /// "" for an exact figure: only hedges are worth a word.
    static func qualifier(_ q: String) -> String {
        ["exact": "", "approx": "约", "more_than": "超过", "at_least": "不少于", "less_than": "不足"][q] ?? q
    }

    static func action(_ a: String) -> String {
        ["issued": "印发", "effective": "施行", "established": "设立", "launched": "启动", "signed": "签约", "held": "召开",
         "started": "开工", "completed": "建成", "settled": "落户", "approved": "获批"][a] ?? a
    }
}
