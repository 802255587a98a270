/// Text made into a reporting key: spaces and quotes carry no meaning in a name, and `|` is kept
/// out of keys. Metric keys themselves come from extraction (`Indicator.metricKey`, the
/// statistics vocabulary's canonical name); this only normalises the text of a key.
public enum ReportKeyText {
    public static func key(_ s: String) -> String {
        String(s.unicodeScalars.filter { !CharClass.isSpace($0) && $0 != "“" && $0 != "”" && $0 != "\"" && $0 != "|" }
            .map(Character.init))
    }
}
