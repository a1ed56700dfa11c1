import NIOCore

/// Follows a `multipart/form-data` body as it streams and refuses a part whose header name holds a byte that is
/// not ASCII, before MultipartKit's parser sees it: MultipartKit 4.7.1 looks such a byte up in a 128-entry table
/// and traps, which would take the whole service down for one request.
///
/// It knows only the body's outline: the delimiter line (`--BOUNDARY`, after a line break but for the first),
/// then header lines (`NAME: VALUE`) up to an empty line, then the part's content up to the next delimiter.
struct MultipartHeaderNames {
    private enum State {
        /// In a part's content (or the preamble): `matched` bytes of `delimiter` seen so far.
        case content(matched: Int)
        /// After a delimiter, up to the end of its line; `dashes` counts a `--` that closes the body.
        case delimiterLine(read: Int, dashes: Int)
        /// At a header name; `empty` while the line has no byte yet (an empty line ends the headers).
        case headerName(empty: Bool)
        case headerValue
        /// The empty line's `\r` was read; its `\n` comes next.
        case headersEnd
        /// After the closing delimiter: the epilogue, which no parser reads.
        case closed
    }

    private let delimiter: [UInt8]
    /// The body opens with the delimiter without the line break before it: as if the break had been read.
    private var state = State.content(matched: 2)

    init(boundary: String) {
        delimiter = Array("\r\n--\(boundary)".utf8)
    }

    /// Follows `chunk`; throws at the first header name byte that is not ASCII.
    mutating func check(_ chunk: ByteBuffer) throws(MultipartUpload.UploadError) {
        for byte in chunk.readableBytesView {
            switch state {
            case .content(let matched):
                if byte == delimiter[matched] {
                    state =
                        matched + 1 == delimiter.count
                        ? .delimiterLine(read: 0, dashes: 0) : .content(matched: matched + 1)
                } else {
                    // The delimiter holds one `\r`, at its start: a mismatch can only restart there.
                    state = .content(matched: byte == delimiter[0] ? 1 : 0)
                }
            case .delimiterLine(let read, let dashes):
                let dashes = read < 2 && byte == UInt8(ascii: "-") ? dashes + 1 : dashes
                if dashes == 2 {
                    state = .closed
                } else {
                    state =
                        byte == UInt8(ascii: "\n")
                        ? .headerName(empty: true) : .delimiterLine(read: read + 1, dashes: dashes)
                }
            case .headerName(let empty):
                if byte >= 0x80 {
                    throw .malformed("a part's header name holds a byte that is not ASCII")
                } else if byte == UInt8(ascii: "\r") {
                    state = empty ? .headersEnd : .headerValue
                } else if byte == UInt8(ascii: ":") {
                    state = .headerValue
                } else {
                    state = .headerName(empty: false)
                }
            case .headerValue:
                if byte == UInt8(ascii: "\n") { state = .headerName(empty: true) }
            case .headersEnd:
                state = .content(matched: 0)
            case .closed:
                return
            }
        }
    }
}
