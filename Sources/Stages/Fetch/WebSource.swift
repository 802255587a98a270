import Foundation
import ChildProcess
import Postgres
import Queue
import Store
import TextCore
#if canImport(Glibc)
import Glibc
#endif

/// HTTP(S) sources: checks the address (no private networks unless allow-listed), waits its turn
/// for the host, honours robots.txt, asks conditionally, follows at most `maxRedirects` redirects
/// (each hop checked again), and sorts the outcome into transient failures (retried with backoff)
/// and permanent ones (dead, with the reason).
struct WebSource {
    let policy: WebPolicy
    let maxBytes: Int
    /// Whose reservation of a host slot this is (one per fetch).
    let worker = "fetch-" + UUID().uuidString

    enum Outcome {
        /// 304: the stored copy is current.
        case unchanged
        case body(finalURL: URL, bytes: [UInt8], contentType: String, etag: String?, lastModified: String?)
    }

    /// A retryable failure: the server or the network may be fine later.
    struct Transient: Error, CustomStringConvertible { let description: String }

    /// Runs on a connection outside any transaction (each statement commits by itself).
    func fetch(_ url: URL, db: Connection, validators: (etag: String?, lastModified: String?)?) throws -> Outcome {
        var current = url
        var hops = 0
        while true {
            let pin = try checkAddress(current)
            var headers = ["User-Agent": policy.userAgent, "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/pdf,text/plain;q=0.9,*/*;q=0.5",
                           "Accept-Language": "zh-CN,zh;q=0.9"]
            // Validators belong to the source's stored copy; ask conditionally on the first hop only.
            if hops == 0, let v = validators {
                if let e = v.etag { headers["If-None-Match"] = e }
                if let m = v.lastModified { headers["If-Modified-Since"] = m }
            }
            let response = try politely(current, pin: pin, db: db) { try request(current, headers: headers, pin: pin) }
            switch response.status {
            case 200..<300:
                return .body(finalURL: current, bytes: response.body, contentType: response.headers["content-type"] ?? "",
                             etag: response.headers["etag"], lastModified: response.headers["last-modified"])
            case 304:
                return .unchanged
            case 301, 302, 303, 307, 308:
                hops += 1
                guard hops <= policy.maxRedirects else {
                    throw PermanentJobError("\(url.absoluteString): more than \(policy.maxRedirects) redirects (a loop?); last \(current.absoluteString)")
                }
                guard let location = response.headers["location"], let next = URL(string: location, relativeTo: current)?.absoluteURL else {
                    throw PermanentJobError("\(current.absoluteString) answered \(response.status) without a usable Location header")
                }
                current = next
            case 404:
                throw PermanentJobError("\(current.absoluteString) answered 404 (not found): check the URL; it may be back later")
            case 410:
                throw PermanentJobError("\(current.absoluteString) answered 410 (gone for good); remove it from the sources")
            case 401, 403:
                throw PermanentJobError("\(current.absoluteString) answered \(response.status) (\(response.status == 401 ? "needs a login" : "forbidden")): the site refuses this crawler")
            case 408, 425, 429, 500..<600:
                throw Transient(description: "\(current.absoluteString) answered \(response.status); will retry")
            default:
                throw PermanentJobError("\(current.absoluteString) answered \(response.status)")
            }
        }
    }

    private func request(_ url: URL, headers: [String: String], pin: String?) throws -> HTTPClient.Response {
        do {
            return try HTTPClient.get(url, headers: headers, timeout: policy.timeout, maxBytes: maxBytes, pin: pin)
        } catch let f as HTTPClient.Failure {
            if case .tooLarge = f { throw PermanentJobError(f.description) }
            throw Transient(description: f.description)   // timeouts, refused connections, resets
        }
    }

    /// One request at a time per host, `delay` (or the robots Crawl-delay) apart, and only what
    /// robots.txt allows. The host's slot is reserved by a statement that commits at once and
    /// freed after the request, so no transaction is open while a host takes its time; a host
    /// whose slot is taken sends the job back for later (`RetryLater`) instead of holding a
    /// worker thread.
    private func politely(_ url: URL, pin: String?, db: Connection, _ body: () throws -> HTTPClient.Response) throws -> HTTPClient.Response {
        let host = Self.hostKey(url)
        let cached = try FetchStore.robots(db, host: host, maxAge: policy.robotsMaxAge)
        let crawlDelay = cached.text.flatMap { Robots(parsing: $0, userAgent: "tideline").crawlDelay } ?? 0
        let delay = max(policy.delay, min(crawlDelay, 60))
        // Held for at most two requests (robots.txt and the page) and the delay between them; a
        // worker that dies mid-request leaves a slot that frees itself when this runs out.
        let hold = 2 * policy.timeout + delay + 5
        if let wait = try FetchStore.reserveHost(db, host: host, delay: delay, hold: hold, worker: worker) {
            throw RetryLater(seconds: wait, reason: "\(host) is serving another request or its \(delay) s delay has not passed")
        }
        let response = Result { () throws -> HTTPClient.Response in
            if policy.obeyRobots, url.path != "/robots.txt" {
                let robots = try self.robots(for: url, host: host, pin: pin, db: db, cached: cached, delay: delay)
                let target = url.path.isEmpty ? "/" : url.path + (url.query.map { "?" + $0 } ?? "")
                guard robots.allows(target) else {
                    throw PermanentJobError("robots.txt of \(host) disallows \(target) for our user agent; Tideline does not fetch it")
                }
            }
            return try body()
        }
        try FetchStore.releaseHost(db, host: host, worker: worker)
        return try response.get()
    }

    /// The host's robots.txt: the cached copy while fresh, else fetched (and then `delay`
    /// waited before the page, inside the host's reservation).
    private func robots(for url: URL, host: String, pin: String?, db: Connection,
                        cached: (text: String?, fresh: Bool), delay: Double) throws -> Robots {
        if cached.fresh { return cached.text.map { Robots(parsing: $0, userAgent: "tideline") } ?? .allowAll }
        var c = URLComponents(url: url, resolvingAgainstBaseURL: true)!
        c.path = "/robots.txt"; c.query = nil; c.fragment = nil
        let response = try request(c.url!, headers: ["User-Agent": policy.userAgent], pin: pin)
        try FetchStore.touchHost(db, host: host)
        defer { if delay > 0 { Thread.sleep(forTimeInterval: delay) } }
        switch response.status {
        case 200..<300:
            let text = String(decoding: response.body, as: UTF8.self)
            try FetchStore.storeRobots(db, host: host, text: text, status: response.status)
            return Robots(parsing: text, userAgent: "tideline")
        case 400..<500:
            // No robots.txt: everything is allowed.
            try FetchStore.storeRobots(db, host: host, text: nil, status: response.status)
            return .allowAll
        default:
            throw Transient(description: "robots.txt of \(host) answered \(response.status); will retry before fetching")
        }
    }

    /// Refuses loopback, private, link-local … addresses unless the host is allow-listed. Returns
    /// the checked address the request must connect to (every address the name resolves to is
    /// checked; the first is used), or nil for an allow-listed host.
    func checkAddress(_ url: URL) throws -> String? {
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw PermanentJobError("\(url.absoluteString): only http and https are fetched")
        }
        guard let host = url.host?.lowercased(), !host.isEmpty else { throw PermanentJobError("\(url.absoluteString) has no host") }
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        // An allow-list entry names a host (its standard port only) or host:port; every hop of a
        // redirect comes through here, so a redirect to another port of an allowed host is refused.
        let port = url.port ?? (scheme == "https" ? 443 : 80)
        if policy.allowHosts.contains(where: { entry in
            let e = entry.lowercased()
            return e == "\(bare):\(port)" || e == "[\(bare)]:\(port)" || (e == bare && port == (scheme == "https" ? 443 : 80))
        }) { return nil }
        let addresses = try Self.resolve(bare)
        for address in addresses {
            if let why = AddressPolicy.refusal(address) {
                throw PermanentJobError("refused \(url.absoluteString): \(bare) resolves to \(address), \(why). Add the host to fetch.allow_hosts in config/tideline.toml to fetch it anyway")
            }
        }
        guard let first = addresses.first else { throw Transient(description: "cannot resolve \(bare): no address") }
        return first
    }

    /// The key of a host's rate limit and robots.txt: host, and the port when one is written.
    static func hostKey(_ url: URL) -> String {
        (url.host ?? "").lowercased() + (url.port.map { ":\($0)" } ?? "")
    }

    /// The host's addresses through the system resolver (an address literal resolves to itself).
    static func resolve(_ host: String) throws -> [String] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, nil, &hints, &result)
        guard rc == 0, let first = result else {
            throw Transient(description: "cannot resolve \(host): \(String(cString: gai_strerror(rc)))")
        }
        defer { freeaddrinfo(first) }
        var out: [String] = []
        var p: UnsafeMutablePointer<addrinfo>? = first
        while let ai = p {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(ai.pointee.ai_addr, ai.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                out.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            }
            p = ai.pointee.ai_next
        }
        return out
    }
}

/// PDF pages to text with poppler's `pdftotext -layout`, the same kind of text as the seeds'
/// e-paper extracts; cleaning then treats it like them.
enum PDFText {
    static func extract(_ bytes: [UInt8], source: String) throws -> [UInt8] {
        guard let tool = ["/usr/bin/pdftotext", "/usr/local/bin/pdftotext"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw PermanentJobError("\(source) is a PDF and pdftotext is not installed (Debian: apt-get install -y poppler-utils)")
        }
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("tideline-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in.pdf"), output = dir.appendingPathComponent("out.txt")
        try Data(bytes).write(to: input)
        let r = try Subprocess.run(tool, ["-layout", "-enc", "UTF-8", input.path, output.path])
        guard r.code == 0, let text = try? Data(contentsOf: output) else {
            throw PermanentJobError("\(source): pdftotext could not read the PDF (exit \(r.code)): \(r.output.prefix(300))")
        }
        // Form feeds separate pages; the cleaner sees them as line breaks.
        return [UInt8](text).map { $0 == 0x0C ? 0x0A : $0 }
    }
}
