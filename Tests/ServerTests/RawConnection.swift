import AudioTesting
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A plain TCP connection to the service on loopback, for clients no HTTP library would be: one that sends
/// nothing, half a head, or a body one byte at a time.
final class RawConnection: Sendable {
    private let socket: Int32

    init(port: Int) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw POSIXError(.EMFILE) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(socket)
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .ECONNREFUSED)
        }
    }

    deinit { close(socket) }

    /// Sends `text`; false when the server has closed the connection.
    @discardableResult
    func send(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes {
                Glibc.send(socket, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 && errno == EINTR { continue }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    /// Waits up to `seconds` for the server to close the connection, reading and dropping whatever it sends
    /// first; true when it closed. The wait blocks a thread of its own, never one the server's tasks need.
    func closedByServer(within seconds: Double) async throws -> Bool {
        try await offThePool { self.waitForClose(within: seconds) }
    }

    /// Sends a whole request with `Connection: close` and returns everything the server answers, once it closes;
    /// nil when nothing complete came within `seconds`.
    func exchange(_ request: String, within seconds: Double = 30) async throws -> String? {
        try await offThePool { self.blockingExchange(request, within: seconds) }
    }

    /// Sends `pieces` one by one, `interval` seconds apart, from a thread of its own (so that the pace is the
    /// test's, whatever the suite's load); returns how many were sent before the server closed the connection.
    func sendPaced(_ pieces: [String], every interval: Double) async throws -> Int {
        try await offThePool {
            var sent = 0
            for piece in pieces {
                guard self.send(piece) else { break }
                sent += 1
                Thread.sleep(forTimeInterval: interval)
            }
            return sent
        }
    }

    /// Sends `request` and waits up to `seconds` for an answer that contains `text`, leaving the connection open;
    /// true when it came.
    func ask(_ request: String, expecting text: String, within seconds: Double = 30) async throws -> Bool {
        guard send(request) else { return false }
        return try await offThePool { self.waitFor(text, within: seconds) }
    }

    private func waitFor(_ text: String, within seconds: Double) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        var received: [UInt8] = []
        while !String(decoding: received, as: UTF8.self).contains(text) {
            guard case .bytes(let more) = receive(until: end) else { return false }
            received += more
        }
        return true
    }

    private func waitForClose(within seconds: Double) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while true {
            switch receive(until: end) {
            case .bytes: continue
            case .closed: return true
            case .timedOut: return false
            }
        }
    }

    private func blockingExchange(_ request: String, within seconds: Double) -> String? {
        guard send(request) else { return nil }
        let end = Date().addingTimeInterval(seconds)
        var received: [UInt8] = []
        while true {
            switch receive(until: end) {
            case .bytes(let more): received += more
            case .closed: return String(decoding: received, as: UTF8.self)
            case .timedOut: return nil
            }
        }
    }

    private enum Received {
        case bytes([UInt8])
        case closed
        case timedOut
    }

    /// The next bytes the server sends, or its close, waiting until `end`. A signal that interrupts the wait (the
    /// suite's child processes and runtimes deliver them) is not an answer: the wait goes on.
    private func receive(until end: Date) -> Received {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            var entry = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let ready = poll(&entry, 1, Int32(max(0, end.timeIntervalSinceNow) * 1000))
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { return .timedOut }
            let count = recv(socket, &buffer, buffer.count, 0)
            if count < 0 && errno == EINTR { continue }
            return count > 0 ? .bytes(Array(buffer[0..<count])) : .closed
        }
    }

    static func get(_ path: String) -> String {
        "GET \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    }
}
