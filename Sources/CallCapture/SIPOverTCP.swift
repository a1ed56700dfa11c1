import Foundation

/// Puts back together the SIP messages sent over TCP (RFC 3261 section 18.3: messages follow each other on the
/// byte stream, each body as long as its Content-Length says), per direction of each connection, from a
/// capture's segments: in sequence-number order, retransmissions dropped.
///
/// Only connections whose bytes begin like a SIP message are followed, each with a bounded buffer, and only so
/// many at once, so neither a long capture nor other TCP traffic makes memory grow. A segment lost in the
/// capture loses the message it belonged to; framing starts again at the next segment that begins a message.
final class SIPOverTCP {
    private struct Direction: Hashable {
        var source: Endpoint
        var destination: Endpoint
    }

    private struct Stream {
        var nextSequenceNumber: UInt32
        var buffer: [UInt8] = []
    }

    /// Connections followed at once; the one followed longest is dropped beyond this many.
    static let maximumStreams = 256
    /// The most a stream may hold without completing a message (SIP messages are a few kilobytes).
    static let maximumBuffer = 65_536

    private var streams: [Direction: Stream] = [:]
    private var order: [Direction] = []

    /// The SIP messages `segment` completes, each with its sender.
    func messages(completedBy segment: TCPSegment) -> [(sender: Endpoint, message: SIPMessage)] {
        let direction = Direction(source: segment.source, destination: segment.destination)
        var stream: Stream
        if let known = streams[direction] {
            stream = known
        } else {
            guard Self.beginsMessage(segment.payload) else { return [] }
            stream = Stream(nextSequenceNumber: segment.sequenceNumber)
            order.append(direction)
            if order.count > Self.maximumStreams { streams[order.removeFirst()] = nil }
        }
        let ahead = Int32(bitPattern: segment.sequenceNumber &- stream.nextSequenceNumber)
        if ahead > 0 {
            // Bytes the capture missed: what is buffered can no longer be framed.
            guard Self.beginsMessage(segment.payload) else { return forget(direction) }
            stream = Stream(nextSequenceNumber: segment.sequenceNumber)
        }
        let alreadyHad = min(Int(max(0, -Int64(ahead))), segment.payload.count)
        stream.buffer += segment.payload.dropFirst(alreadyHad)
        stream.nextSequenceNumber &+= UInt32(segment.payload.count - alreadyHad)
        var complete: [(sender: Endpoint, message: SIPMessage)] = []
        while let bytes = Self.takeMessage(from: &stream.buffer) {
            if let message = SIPMessage(bytes) { complete.append((segment.source, message)) }
        }
        guard !segment.closes, stream.buffer.count <= Self.maximumBuffer else {
            _ = forget(direction)
            return complete
        }
        streams[direction] = stream
        return complete
    }

    private func forget(_ direction: Direction) -> [(sender: Endpoint, message: SIPMessage)] {
        streams[direction] = nil
        order.removeAll { $0 == direction }
        return []
    }

    /// True when `bytes` start like a SIP request or response line.
    static func beginsMessage(_ bytes: ArraySlice<UInt8>) -> Bool {
        let start = String(decoding: bytes.prefix(16), as: UTF8.self)
        return start.hasPrefix("SIP/2.0 ")
            || [
                "INVITE ", "ACK ", "BYE ", "CANCEL ", "OPTIONS ", "REGISTER ", "PRACK ", "UPDATE ", "INFO ",
                "NOTIFY ", "SUBSCRIBE ", "REFER ", "MESSAGE ",
            ].contains { start.hasPrefix($0) }
    }

    /// Removes and returns the first whole message in `buffer` (after any keep-alive line breaks), or nil
    /// while it is incomplete.
    private static func takeMessage(from buffer: inout [UInt8]) -> ArraySlice<UInt8>? {
        let lineBreaks = buffer.prefix { $0 == 0x0D || $0 == 0x0A }.count
        if lineBreaks > 0 { buffer.removeFirst(lineBreaks) }
        let headerEnd: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A]
        guard let end = buffer.indices.dropLast(3).first(where: { buffer[$0..<$0 + 4].elementsEqual(headerEnd) })
        else { return nil }
        let header = String(decoding: buffer[..<end], as: UTF8.self)
        // A body longer than a stream may hold never completes (and an absurd length cannot overflow).
        let total = end + 4 + min(contentLength(in: header), maximumBuffer + 1)
        guard buffer.count >= total else { return nil }
        let message = Array(buffer[..<total])
        buffer.removeFirst(total)
        return message[...]
    }

    /// The Content-Length (or its compact form `l`) of a message's header; 0 when absent.
    private static func contentLength(in header: String) -> Int {
        for line in header.split(separator: "\r\n").dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            guard name == "content-length" || name == "l" else { continue }
            return max(0, Int(line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)) ?? 0)
        }
        return 0
    }
}
