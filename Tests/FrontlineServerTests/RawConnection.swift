import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TCP connection to a loopback port made with the system calls, so that a test can hold
/// thousands of them and send exactly the bytes it wants (half a request, say).
final class RawConnection {
    let descriptor: Int32

    /// Starts connecting without waiting (the socket is non-blocking); nil when no socket is left.
    init?(port: Int) {
        // socket(2) and connect(2) return -1 and set errno on failure.
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 || errno == EINPROGRESS else { close(descriptor); return nil }
    }

    deinit { close(descriptor) }

    /// Waits up to `seconds` for `events` (POLLIN, POLLOUT); poll(2) returns the ready count, 0 on timeout.
    func wait(for events: Int32, seconds: Double) -> Bool {
        var entry = pollfd(fd: descriptor, events: Int16(events), revents: 0)
        return poll(&entry, 1, Int32(seconds * 1000)) == 1
    }

    /// Waits for the connection to be made: true when it was.
    func connected(within seconds: Double) -> Bool {
        guard wait(for: Int32(POLLOUT), seconds: seconds) else { return false }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        return getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &error, &length) == 0 && error == 0
    }

    /// Sends all of `text`; false when the connection refused it.
    @discardableResult
    func send(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        // send(2) returns the bytes sent, or -1; MSG_NOSIGNAL: a closed peer is an error, not SIGPIPE.
        return bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    /// True when the server closes the connection within `seconds` (end of file or reset).
    func closedByServer(within seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let left = deadline.timeIntervalSinceNow
            guard left > 0, wait(for: Int32(POLLIN), seconds: left) else { return false }
            // recv(2) returns 0 at end of file, -1 with errno (ECONNRESET) on a reset.
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count == 0 || (count < 0 && errno != EAGAIN) { return true }
        }
    }

    /// Reads one answer, its body sized by Content-Length: nil when none came within `seconds`.
    func response(within seconds: Double) -> (status: Int, body: String)? {
        let deadline = Date().addingTimeInterval(seconds)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            if let end = received.firstRange(of: Array("\r\n\r\n".utf8)) {
                let head = String(decoding: received[..<end.lowerBound], as: UTF8.self)
                let lines = head.components(separatedBy: "\r\n")
                let status = Int(lines[0].split(separator: " ").dropFirst().first ?? "") ?? 0
                let length = lines.dropFirst().compactMap { line -> Int? in
                    let parts = line.split(separator: ":", maxSplits: 1)
                    return parts.count == 2 && parts[0].lowercased() == "content-length" ? Int(parts[1].trimmingCharacters(in: .whitespaces)) : nil
                }.first ?? 0
                if received.count - end.upperBound >= length {
                    return (status, String(decoding: received[end.upperBound..<(end.upperBound + length)], as: UTF8.self))
                }
            }
            let left = deadline.timeIntervalSinceNow
            guard left > 0, wait(for: Int32(POLLIN), seconds: left) else { return nil }
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count > 0 { received += buffer[..<count] } else if count == 0 || errno != EAGAIN { return nil }
        }
    }
}
