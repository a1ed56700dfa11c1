import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// What a worker tells the process running one attempt of a job.
enum WorkerMessage: Codable {
    /// The first message: the job to run.
    case start(Job)
    /// Stop at the next chunk and publish nothing (the lease was lost, the job cancelled, shutdown).
    case cancel
    /// The answer to `AttemptMessage.mayPublish`.
    case publishing(allowed: Bool)
}

/// What the process running an attempt tells its worker.
enum AttemptMessage: Codable {
    case progress(JobProgress)
    /// Asked right before outputs get their final names: does the worker still hold the job?
    case mayPublish
    /// The last message of an attempt that ran to its end. `followUps` travel beside the result because a
    /// result's coding leaves them out (they are never stored).
    case finished(JobResult, followUps: [JobRequest])
    /// The last message of an attempt that failed.
    case failed(JobFailure)
}

/// One end of the conversation between a worker and an attempt process: JSON messages, one per line, over a
/// Unix socket. Sending is safe from any thread; a peer that is gone makes `send` return false, never a SIGPIPE.
final class MessageChannel: Sendable {
    let descriptor: Int32
    private let sending = Mutex(())

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    @discardableResult
    func send(_ message: some Encodable) -> Bool {
        guard var bytes = try? JSONEncoder().encode(message) else { return false }
        bytes.append(UInt8(ascii: "\n"))
        return sending.withLock { _ in
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let sent = Glibc.send(
                        descriptor, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                    if sent < 0 && errno == EINTR { continue }
                    guard sent > 0 else { return false }
                    offset += sent
                }
                return true
            }
        }
    }
}

/// Splits bytes read from a stream into lines, keeping an unfinished line for the next read.
struct LineSplitter {
    private var pending: [UInt8] = []

    /// The lines completed by `bytes`, without their newlines.
    mutating func lines(adding bytes: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        pending.append(contentsOf: bytes)
        var lines: [ArraySlice<UInt8>] = []
        var start = pending.startIndex
        while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
            lines.append(pending[start..<newline])
            start = newline + 1
        }
        pending = Array(pending[start...])
        return lines
    }
}

/// Reads one descriptor: `read` returns the bytes available (blocking until some are), nil at its end.
func readAvailable(_ descriptor: Int32) -> ArraySlice<UInt8>? {
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let count = Glibc.read(descriptor, &buffer, buffer.count)
        if count < 0 && errno == EINTR { continue }
        return count > 0 ? buffer[..<count] : nil
    }
}
