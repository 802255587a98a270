import Foundation
import Logging
import Postgres
import Queue
import Store
import TextCore

/// Fetch: a source (today a local file) becomes a raw document. Unchanged content (same hash,
/// same metadata) makes no new document and no downstream work; new or changed content is
/// stored and handed to clean.
public struct FetchHandler: StageHandler {
    public let stage = Stage.fetch.rawValue
    public let context: StageContext
    public var batchSize: Int { 4 }

    public init(context: StageContext) { self.context = context }

    public func handle(_ job: Job, tx: Connection, logger: Logger) throws -> [NewJob] {
        let payload = try job.decodePayload(FetchPayload.self)
        let file = try FileSource.resolve(payload.source, roots: context.fileRoots)
        let bytes = try FileSource.read(file, maxBytes: context.maxDocumentBytes)
        let hash = SHA256.hex(bytes)
        let metadata = String(decoding: try JSONEncoder.sorted.encode(payload.metadata), as: UTF8.self)
        let sourceID = FileSource.sourceID(for: file, roots: context.fileRoots)
        guard let documentID = try DocumentStore.upsert(tx, sourceID: sourceID, contentHash: hash, content: bytes,
                                                        contentType: FileSource.contentType(of: file), metadata: metadata) else {
            logger.debug("unchanged: \(sourceID)")
            return []
        }
        return [try NewJob(stage: .clean, encoding: CleanPayload(documentID: documentID), dedupeKey: "doc:\(documentID):\(hash)")]
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }
}
