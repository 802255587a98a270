import Foundation
import TextCore

/// The one contract for an extraction as it is stored in `extractions.data`: the text core's
/// `Indicator` or `Milestone`, encoded by the extract stage and decoded by aggregate and the
/// exports. A row that does not decode is an error naming it, never a silent default.
public enum StoredExtraction: Sendable, Equatable {
    case indicator(Indicator)
    case milestone(Milestone)

    public var kind: String {
        switch self {
        case .indicator: "indicator"
        case .milestone: "milestone"
        }
    }

    /// The row to write for it.
    public func row() throws -> ExtractionStore.New {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        switch self {
        case .indicator(let i):
            return .init(kind: kind, data: String(decoding: try encoder.encode(i), as: UTF8.self), evidence: i.evidence, start: i.start, end: i.end)
        case .milestone(let m):
            return .init(kind: kind, data: String(decoding: try encoder.encode(m), as: UTF8.self), evidence: m.evidence, start: m.start, end: m.end)
        }
    }

    public static func decode(kind: String, json: String, extractionID: Int64) throws -> StoredExtraction {
        do {
            switch kind {
            case "indicator": return .indicator(try JSONDecoder().decode(Indicator.self, from: Data(json.utf8)))
            case "milestone": return .milestone(try JSONDecoder().decode(Milestone.self, from: Data(json.utf8)))
            default: throw Malformed(extractionID: extractionID, reason: "unknown kind '\(kind)'")
            }
        } catch let e as Malformed {
            throw e
        } catch {
            throw Malformed(extractionID: extractionID, reason: "\(error)")
        }
    }

    public struct Malformed: Error, CustomStringConvertible {
        public let extractionID: Int64, reason: String
        public var description: String {
            "extraction \(extractionID) does not decode as the extract stage writes it (\(reason)): reprocess with `tideline up --reprocess` (or retry the job after fixing the row)"
        }
    }
}
