import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 server for Prometheus scrapes: `GET /metrics` answers with what `render`
/// returns, anything else with 404. One request at a time: a scrape every few seconds needs no
/// more, and it keeps the dependency set to the C library.
public final class MetricsServer {
    public let host: String
    public private(set) var port: UInt16
    private var fd: Int32 = -1

    /// `address` is `HOST:PORT` (`0.0.0.0:9464`, `127.0.0.1:0` for any free port) or `:PORT`.
    public init(address: String) throws {
        guard let colon = address.lastIndex(of: ":"), let port = UInt16(address[address.index(after: colon)...]) else {
            throw RuntimeError("--listen takes HOST:PORT (0.0.0.0:9464), not \(address)")
        }
        let host = String(address[..<colon])
        self.host = host.isEmpty ? "0.0.0.0" : host
        self.port = port
    }

    /// Binds and listens; after this `port` is the real one.
    public func bind() throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RuntimeError("metrics server: cannot open a socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &addr.sin_addr) == 1 else {
            throw RuntimeError("\(host) is not an IPv4 address; listen on 0.0.0.0 or 127.0.0.1")
        }
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw RuntimeError("cannot listen on \(host):\(port): \(String(cString: strerror(errno)))") }
        guard listen(fd, 16) == 0 else { throw RuntimeError("metrics server: cannot listen: \(String(cString: strerror(errno)))") }
        var actual = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        port = UInt16(bigEndian: actual.sin_port)
    }

    /// Serves until the process ends. `render` is called per scrape; an error it throws becomes
    /// a 503 with the message, so Prometheus records the scrape as failed. `GET /healthz` says the
    /// process answers (liveness); `GET /readyz` answers 200 when `ready` does, else 503.
    public func serve(render: () throws -> String, ready: () -> Bool = { true }) -> Never {
        while true {
            let client = accept(fd, nil, nil)
            guard client >= 0 else { continue }
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let request = readRequestLine(client)
            let parts = request.split(separator: " ")
            let response: (Int, String, String)
            if parts.count >= 2, parts[0] == "GET", parts[1] == "/metrics" || parts[1].hasPrefix("/metrics?") {
                do { response = (200, "OK", try render()) } catch { response = (503, "Service Unavailable", "\(error)\n") }
            } else if parts.count >= 2, parts[0] == "GET", parts[1] == "/healthz" {
                response = (200, "OK", "ok\n")
            } else if parts.count >= 2, parts[0] == "GET", parts[1] == "/readyz" {
                response = ready() ? (200, "OK", "ready\n") : (503, "Service Unavailable", "the database cannot be read; see tideline_up in /metrics\n")
            } else if parts.count >= 2, parts[0] == "GET", parts[1] == "/" {
                response = (200, "OK", "tideline metrics: GET /metrics, /healthz, /readyz\n")
            } else {
                response = (404, "Not Found", "GET /metrics\n")
            }
            let body = Array(response.2.utf8)
            let head = "HTTP/1.1 \(response.0) \(response.1)\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
                + "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
            writeAll(client, Array(head.utf8) + body)
            close(client)
        }
    }

    private func readRequestLine(_ client: Int32) -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        // Read until the end of the headers (or 16 KB); only the request line matters.
        while bytes.count < 16_384 {
            let n = read(client, &buffer, buffer.count)
            if n <= 0 { break }
            bytes += buffer[0..<n]
            if bytes.count >= 4, bytes.suffix(4) == [13, 10, 13, 10] { break }
        }
        let text = String(decoding: bytes, as: UTF8.self)
        return text.split(separator: "\r\n", maxSplits: 1).first.map(String.init) ?? ""
    }

    private func writeAll(_ client: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            offset += n
        }
    }
}

