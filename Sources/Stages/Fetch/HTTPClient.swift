import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP GET through the toolchain's URLSession, with the limits a crawler needs: redirects
/// are returned, not followed (the caller checks and counts each hop), the body is cut off at
/// `maxBytes` of decoded content, and the whole exchange is bounded by `timeout`.
final class HTTPClient {
    struct Response {
        let status: Int
        /// Header names lowercased.
        let headers: [String: String]
        let body: [UInt8]
    }

    enum Failure: Error, CustomStringConvertible {
        case timeout(URL, Double)
        case tooLarge(URL, Int)
        case transport(URL, String)
        var description: String {
            switch self {
            case .timeout(let u, let t): return "\(u.absoluteString) did not answer within \(t) s"
            case .tooLarge(let u, let cap): return "\(u.absoluteString) is larger than the \(cap)-byte cap (fetch.max_bytes)"
            case .transport(let u, let why): return "\(u.absoluteString): \(why)"
            }
        }
    }

    static func get(_ url: URL, headers: [String: String], timeout: Double, maxBytes: Int) throws -> Response {
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = timeout
        config.timeoutIntervalForResource = timeout
        config.requestCachePolicy = .reloadIgnoringLocalCacheData
        config.urlCache = nil
        config.httpShouldSetCookies = false
        let collector = Collector(maxBytes: maxBytes)
        let session = URLSession(configuration: config, delegate: collector, delegateQueue: nil)
        defer { session.invalidateAndCancel() }
        var request = URLRequest(url: url, timeoutInterval: timeout)
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        session.dataTask(with: request).resume()
        // The session's own timeout ends the task; this bound only guards against a stuck delegate.
        guard collector.done.wait(timeout: .now() + timeout + 5) == .success else { throw Failure.timeout(url, timeout) }
        if collector.exceeded { throw Failure.tooLarge(url, maxBytes) }
        if let error = collector.error {
            let ns = error as NSError
            if ns.code == NSURLErrorTimedOut { throw Failure.timeout(url, timeout) }
            throw Failure.transport(url, ns.localizedDescription)
        }
        guard let http = collector.response else { throw Failure.transport(url, "no HTTP response") }
        var lowered: [String: String] = [:]
        for (k, v) in http.allHeaderFields { lowered[String(describing: k).lowercased()] = String(describing: v) }
        return Response(status: http.statusCode, headers: lowered, body: collector.body)
    }

    // The session's serial delegate queue is the only writer; `get` reads after `done` is signalled.
    private final class Collector: NSObject, URLSessionDataDelegate, @unchecked Sendable {
        let maxBytes: Int
        let done = DispatchSemaphore(value: 0)
        var body: [UInt8] = []
        var response: HTTPURLResponse?
        var error: Error?
        var exceeded = false

        init(maxBytes: Int) { self.maxBytes = maxBytes }

        func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
            completionHandler(nil)   // the caller follows redirects itself
        }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
            self.response = response as? HTTPURLResponse
            if response.expectedContentLength > Int64(maxBytes) {
                exceeded = true
                completionHandler(.cancel)
                return
            }
            completionHandler(.allow)
        }

        /// Chunks arrive decoded (gzip, deflate): the cap counts decoded bytes, and once it is passed
        /// nothing more is kept, since chunks already decoded keep arriving until the cancel lands
        /// (a 1 MB gzip bomb grew a worker to 2.2 GB before this).
        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
            guard !exceeded else { return }
            if body.count + data.count > maxBytes {
                exceeded = true
                body = []
                dataTask.cancel()
                return
            }
            body.append(contentsOf: data)
        }

        func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
            if !exceeded { self.error = error }
            // A redirect not followed ends the task without a didReceive(response:).
            if response == nil { response = task.response as? HTTPURLResponse }
            done.signal()
        }
    }
}
