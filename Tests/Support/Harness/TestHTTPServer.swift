import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An HTTP/1.1 server on 127.0.0.1 for the fetch tests: routes answer by path, each connection on
/// its own thread (so a slow route does not hold the others), every request recorded.
public final class TestHTTPServer: @unchecked Sendable {   // routes and the log are only touched under `lock`
    public struct Request: Sendable { public let path: String; public let headers: [String: String]; public let time: Date }
    public struct Response: Sendable {
        public var status: Int
        public var headers: [String: String]
        public var body: [UInt8]
        /// Seconds to wait before answering.
        public var delay: Double
        /// No Content-Length, and `body` sent again and again until the client hangs up.
        public var endless: Bool
        public init(status: Int = 200, headers: [String: String] = [:], body: [UInt8] = [], delay: Double = 0, endless: Bool = false) {
            self.status = status; self.headers = headers; self.body = body; self.delay = delay; self.endless = endless
        }
        public static func text(_ s: String, type: String = "text/html; charset=utf-8") -> Response {
            Response(headers: ["Content-Type": type], body: Array(s.utf8))
        }
    }

    public private(set) var port: UInt16 = 0
    private var fd: Int32 = -1
    private let lock = NSLock()
    private var routes: [String: @Sendable (Request) -> Response] = [:]
    private var log: [Request] = []

    public init() throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard rc == 0, listen(fd, 64) == 0 else { throw NSError(domain: "TestHTTPServer", code: Int(errno)) }
        var bound = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        port = UInt16(bigEndian: bound.sin_port)
        let t = Thread { [unowned self] in self.acceptLoop() }
        t.start()
    }

    public var base: String { "http://127.0.0.1:\(port)" }

    public func route(_ path: String, _ handler: @escaping @Sendable (Request) -> Response) {
        lock.lock(); routes[path] = handler; lock.unlock()
    }

    public var requests: [Request] { lock.lock(); defer { lock.unlock() }; return log }

    public func requests(to path: String) -> [Request] { requests.filter { $0.path == path } }

    private func acceptLoop() {
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 { if errno == EINTR { continue }; return }
            let t = Thread { [unowned self] in self.handle(client) }
            t.start()
        }
    }

    private func handle(_ client: Int32) {
        defer { close(client) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 65_536 {
            let n = read(client, &buffer, buffer.count)
            if n <= 0 { return }
            bytes += buffer[0..<n]
            if bytes.count >= 4, String(decoding: bytes, as: UTF8.self).contains("\r\n\r\n") { break }
        }
        let head = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n\r\n")[0]
        let lines = head.components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ")
        guard parts.count >= 2 else { return }
        var headers: [String: String] = [:]
        for l in lines.dropFirst() {
            guard let c = l.firstIndex(of: ":") else { continue }
            headers[l[..<c].lowercased()] = l[l.index(after: c)...].trimmingCharacters(in: .whitespaces)
        }
        let path = String(parts[1])
        let request = Request(path: path, headers: headers, time: Date())
        lock.lock()
        log.append(request)
        let handler = routes[path] ?? routes[String(path.split(separator: "?")[0])]
        lock.unlock()
        let response = handler?(request) ?? Response(status: 404, body: Array("not found".utf8))
        if response.delay > 0 { Thread.sleep(forTimeInterval: response.delay) }
        var text = "HTTP/1.1 \(response.status) X\r\n" + (response.endless ? "" : "Content-Length: \(response.body.count)\r\n") + "Connection: close\r\n"
        for (k, v) in response.headers { text += "\(k): \(v)\r\n" }
        text += "\r\n"
        // MSG_NOSIGNAL: a client that hangs up (a capped body) must not raise SIGPIPE in the tests.
        func transmit(_ out: [UInt8]) -> Bool {
            var offset = 0
            while offset < out.count {
                let n = out[offset...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
        guard transmit(Array(text.utf8) + response.body), response.endless, !response.body.isEmpty else { return }
        while transmit(response.body) {}
    }
}
