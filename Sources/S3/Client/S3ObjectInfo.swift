import AsyncHTTPClient
import Foundation
import NIOCore

/// What S3 says about an object (`HEAD`, or the head of a `GET`): its size, ETag, modification time, type and
/// user metadata.
public struct S3ObjectInfo: Sendable, Equatable {
    /// The size of the whole object in bytes, also when only a range of it was asked for.
    public var size: Int
    /// The ETag as S3 sends it, quotes included (`"9b2cf535f27731c974343645a3985328"`, or `"...-3"` after a
    /// multipart upload of three parts).
    public var etag: String?
    public var lastModified: Date?
    public var contentType: String?
    /// The `x-amz-meta-*` headers, by the name after the prefix, lower-cased.
    public var metadata: [String: String]

    public init(
        size: Int, etag: String? = nil, lastModified: Date? = nil, contentType: String? = nil,
        metadata: [String: String] = [:]
    ) {
        self.size = size
        self.etag = etag
        self.lastModified = lastModified
        self.contentType = contentType
        self.metadata = metadata
    }

    /// The info in a response's headers: the size from `Content-Range`'s total (a ranged reply) or `Content-Length`.
    init(_ response: HTTPClientResponse) {
        let headers = response.headers
        var size = Int(headers.first(name: "content-length") ?? "") ?? 0
        if let range = headers.first(name: "content-range"), let total = range.split(separator: "/").last,
            let whole = Int(total)
        {
            size = whole
        }
        var metadata: [String: String] = [:]
        for (name, value) in headers where name.lowercased().hasPrefix("x-amz-meta-") {
            metadata[String(name.lowercased().dropFirst("x-amz-meta-".count))] = value
        }
        self.init(
            size: size, etag: headers.first(name: "etag"),
            lastModified: headers.first(name: "last-modified").flatMap(HTTPDate.parse),
            contentType: headers.first(name: "content-type"), metadata: metadata)
    }
}

/// An object being read: its info, the byte range the body holds, and the body itself as it arrives, never held
/// whole in memory. The body must be read to its end (or dropped) before its connection serves another request.
public struct S3ObjectStream: Sendable {
    public var info: S3ObjectInfo
    /// The bytes of the object the body holds (`0...size-1` without a range; empty object: nil).
    public var range: ClosedRange<Int>?
    /// The bytes, as async-http-client delivers them.
    public var body: HTTPClientResponse.Body
}

/// One object of a listing.
public struct S3ListedObject: Sendable, Equatable {
    public var key: String
    public var size: Int
    public var etag: String?
    public var lastModified: Date?
}

/// One page of `ListObjectsV2`: the objects, the common prefixes (the "folders" when a delimiter is given) and
/// the token of the next page, nil on the last one.
public struct S3ListPage: Sendable, Equatable {
    public var objects: [S3ListedObject]
    public var commonPrefixes: [String]
    public var nextContinuationToken: String?
}

/// A multipart upload that was created and neither completed nor aborted.
public struct S3MultipartUpload: Sendable, Equatable {
    public var key: String
    public var uploadID: String
    public var initiated: Date?
}

/// A part of a multipart upload, as `CompleteMultipartUpload` lists it.
public struct S3UploadedPart: Sendable, Equatable {
    /// 1 to 10,000.
    public var number: Int
    public var etag: String

    public init(number: Int, etag: String) {
        self.number = number
        self.etag = etag
    }
}

/// A key `DeleteObjects` did not delete, with S3's reason.
public struct S3DeleteFailure: Sendable, Equatable {
    public var key: String
    public var code: String?
    public var message: String?
}

/// HTTP dates (`Last-Modified`) and S3's ISO 8601 times in XML.
enum HTTPDate {
    static func parse(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }

    static func parseISO8601(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
