import CallRecordings
import Foundation
import Hummingbird
import Metrics

/// Serves one stored file to browsers and players the way RFC 9110 asks: single byte ranges (`206`,
/// `Content-Range`), `416` with `bytes */length`, `If-Range`, `HEAD`, a strong `ETag`, `Last-Modified`, and
/// `Content-Disposition: attachment` for downloads. Never compressed.
///
/// Our own route rather than Hummingbird's `FileMiddleware`, which answers suffix ranges and starts past the
/// end wrongly. A local file is streamed from disk in chunks by Hummingbird's `FileIO`, tagged with its content
/// hash; an object in a bucket is streamed from a ranged read of just the bytes asked for, tagged with its ETag.
struct MediaResponder: Sendable {
    let fileIO = FileIO()
    let hashes = ContentHashes()

    /// The response for `request` of `file`, served as `contentType`; `downloadName` makes it an attachment with
    /// that file name.
    func respond(
        to request: Request, file: StoredFile, storage: any RecordingStorage, contentType: String,
        downloadName: String?, context: some RequestContext
    ) async throws -> Response {
        let length = file.object.size
        let modified = file.object.modified
        let etag =
            if let local = file.object.localFile {
                try await hashes.etag(path: local.path, size: length, modified: modified)
            } else {
                file.object.etag ?? "\"\(length)-\(Int(modified.timeIntervalSince1970))\""
            }
        let lastModified = HTTPDate.format(modified)
        /// The bytes of `range` (or all), from disk or from the bucket.
        func body(_ range: ClosedRange<Int>?) async throws -> ResponseBody {
            if let local = file.object.localFile {
                guard let range else { return try await fileIO.loadFile(path: local.path, context: context) }
                return try await fileIO.loadFile(path: local.path, range: range, context: context)
            }
            return ResponseBody(asyncSequence: try await storage.bytes(file.name, of: file.recording, range: range))
        }

        var headers: HTTPFields = [
            .contentType: contentType, .acceptRanges: "bytes", .eTag: etag, .lastModified: lastModified,
            .cacheControl: "private, max-age=3600",
        ]
        if let downloadName { headers[.contentDisposition] = ContentDisposition.attachment(downloadName) }
        // If-None-Match compares weakly (RFC 9110 section 13.1.2): `W/"x"` matches our strong `"x"`.
        if let match = request.headers[.ifNoneMatch],
            match.split(separator: ",").contains(where: {
                let tag = $0.trimmingCharacters(in: .whitespaces)
                return tag == "*" || (tag.hasPrefix("W/") ? String(tag.dropFirst(2)) : tag) == etag
            })
        {
            return Response(status: .notModified, headers: headers)
        }

        let ifRange = request.headers[.ifRange]
        let rangeHeader = ifRange == nil || ifRange == etag || ifRange == lastModified ? request.headers[.range] : nil
        let isHead = request.method == .head
        switch ByteRangeAnswer(header: rangeHeader, length: length) {
        case .unsatisfiable:
            headers[.contentRange] = "bytes */\(length)"
            headers[.contentLength] = "0"
            return Response(status: .rangeNotSatisfiable, headers: headers)
        case .partial(let range):
            headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(length)"
            headers[.contentLength] = String(range.count)
            let body = isHead ? ResponseBody() : try await body(range)
            if !isHead { Self.bytesServed.increment(by: range.count) }
            return Response(status: .partialContent, headers: headers, body: body)
        case .whole:
            headers[.contentLength] = String(length)
            let body = isHead || length == 0 ? ResponseBody() : try await body(nil)
            if !isHead { Self.bytesServed.increment(by: length) }
            return Response(status: .ok, headers: headers, body: body)
        }
    }

    /// Media bytes sent to clients (`/metrics`).
    static let bytesServed = Counter(label: "callaudio_media_bytes_served_total")
}

/// A recording's file, as the storage describes it.
struct StoredFile {
    var name: String
    var recording: String
    var object: StoredObject
}

/// `Content-Disposition: attachment` with an ASCII `filename` and the exact UTF-8 name in `filename*` (RFC 6266).
enum ContentDisposition {
    static func attachment(_ name: String) -> String {
        let ascii = String(
            name.unicodeScalars.map { $0.isASCII && $0 != "\"" && $0 != "\\" && $0.value >= 0x20 ? Character($0) : "_" }
        )
        let allowed = CharacterSet(charactersIn: "!#$&+-.^_`|~").union(.alphanumerics)
        let encoded =
            name.addingPercentEncoding(
                withAllowedCharacters: allowed.intersection(
                    .init(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))) ?? ascii
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }
}

/// HTTP dates (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110 section 5.6.7), formatted from the C library's
/// broken-down UTC time: a `DateFormatter` made per request cost a sixth of a media request's CPU time.
enum HTTPDate {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func format(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return
            "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}
