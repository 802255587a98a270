import CLibCurl
import Foundation

/// One HTTP GET through libcurl, with the limits a crawler needs: redirects are returned, not
/// followed (the caller checks and counts each hop), the body is cut off at `maxBytes` of decoded
/// content (a gzip bomb stops at the cap), the whole exchange is bounded by `timeout`, only http
/// and https are spoken, no proxy from the environment is used, and — given `pin` — the
/// connection goes to that address and no other, so the address the caller checked is the one
/// connected to (a host whose DNS answer changes between the check and the connection cannot
/// point the fetch at a private address).
enum HTTPClient {
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

    /// curl_global_init is not thread-safe: done once, before any handle.
    private static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    /// What the callbacks fill in, reached through curl's user-data pointer.
    private final class Sink {
        let maxBytes: Int
        var body: [UInt8] = []
        var headers: [String: String] = [:]
        var exceeded = false
        init(maxBytes: Int) { self.maxBytes = maxBytes }
    }

    static func get(_ url: URL, headers: [String: String], timeout: Double, maxBytes: Int, pin: String? = nil) throws -> Response {
        guard initialized, let curl = curl_easy_init() else { throw Failure.transport(url, "libcurl could not start") }
        defer { curl_easy_cleanup(curl) }
        let sink = Sink(maxBytes: maxBytes)
        let box = Unmanaged.passRetained(sink)
        defer { box.release() }

        var list: UnsafeMutablePointer<curl_slist>? = nil
        defer { curl_slist_free_all(list) }
        for (k, v) in headers.sorted(by: { $0.key < $1.key }) { list = curl_slist_append(list, "\(k): \(v)") }
        var resolve: UnsafeMutablePointer<curl_slist>? = nil
        defer { curl_slist_free_all(resolve) }
        if let pin, let host = url.host {
            let port = url.port ?? (url.scheme?.lowercased() == "https" ? 443 : 80)
            let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            resolve = curl_slist_append(nil, "\(bare):\(port):\(pin.contains(":") ? "[\(pin)]" : pin)")
        }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let ms = Int(max(timeout, 0.001) * 1000)
        var failed: CURLcode = CURLE_OK
        func set(_ code: CURLcode) { if failed == CURLE_OK { failed = code } }
        let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { errors in
            set(tideline_curl_string(curl, CURLOPT_URL, url.absoluteString))
            set(tideline_curl_long(curl, CURLOPT_NOSIGNAL, 1))
            set(tideline_curl_long(curl, CURLOPT_FOLLOWLOCATION, 0))
            set(tideline_curl_string(curl, CURLOPT_PROTOCOLS_STR, "http,https"))
            set(tideline_curl_string(curl, CURLOPT_PROXY, ""))
            set(tideline_curl_string(curl, CURLOPT_ACCEPT_ENCODING, ""))   // every encoding curl decodes
            set(tideline_curl_long(curl, CURLOPT_TIMEOUT_MS, ms))
            set(tideline_curl_long(curl, CURLOPT_CONNECTTIMEOUT_MS, ms))
            set(tideline_curl_large(curl, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(maxBytes)))
            set(tideline_curl_list(curl, CURLOPT_HTTPHEADER, list))
            if resolve != nil { set(tideline_curl_list(curl, CURLOPT_RESOLVE, resolve)) }
            set(tideline_curl_pointer(curl, CURLOPT_ERRORBUFFER, errors.baseAddress))
            set(tideline_curl_callback_set(curl, CURLOPT_WRITEFUNCTION, { data, size, count, user in
                let sink = Unmanaged<Sink>.fromOpaque(user!).takeUnretainedValue()
                let n = size * count
                // Chunks arrive decoded: the cap counts what would be kept.
                guard !sink.exceeded, sink.body.count + n <= sink.maxBytes else { sink.exceeded = true; sink.body = []; return 0 }
                data!.withMemoryRebound(to: UInt8.self, capacity: n) { sink.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: n)) }
                return n
            }))
            set(tideline_curl_pointer(curl, CURLOPT_WRITEDATA, box.toOpaque()))
            set(tideline_curl_callback_set(curl, CURLOPT_HEADERFUNCTION, { data, size, count, user in
                let sink = Unmanaged<Sink>.fromOpaque(user!).takeUnretainedValue()
                let n = size * count
                let line = String(decoding: UnsafeRawBufferPointer(start: data, count: n), as: UTF8.self)
                if line.hasPrefix("HTTP/") { sink.headers = [:] }   // a new response (after 100 Continue)
                if let colon = line.firstIndex(of: ":") {
                    let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
                    sink.headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
                }
                return n
            }))
            set(tideline_curl_pointer(curl, CURLOPT_HEADERDATA, box.toOpaque()))
            guard failed == CURLE_OK else { return failed }
            return curl_easy_perform(curl)
        }
        if sink.exceeded || code == CURLE_FILESIZE_EXCEEDED { throw Failure.tooLarge(url, maxBytes) }
        if code == CURLE_OPERATION_TIMEDOUT { throw Failure.timeout(url, timeout) }
        guard code == CURLE_OK else {
            let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw Failure.transport(url, detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail)
        }
        var status = 0
        _ = tideline_curl_response_code(curl, &status)
        return Response(status: status, headers: sink.headers, body: sink.body)
    }
}
