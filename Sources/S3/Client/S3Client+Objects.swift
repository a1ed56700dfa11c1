import AsyncHTTPClient
import Foundation
import NIOCore

extension S3Client {
    /// Stores `data` as `key` in one `PUT` (S3 takes up to 5 GiB so; use `uploadFile` for files over a part).
    /// - Parameters:
    ///   - metadata: sent as `x-amz-meta-NAME` headers, returned by `head` and `get`.
    ///   - ifNoneMatch: `"*"` to create only: a key that exists fails with `412 PreconditionFailed`.
    /// - Returns: the new object's ETag.
    @discardableResult
    public func putObject(
        key: String, data: ByteBuffer, contentType: String? = nil, metadata: [String: String] = [:],
        ifNoneMatch: String? = nil
    ) async throws -> String? {
        var headers = Self.objectHeaders(contentType: contentType, metadata: metadata)
        if let ifNoneMatch { headers.append((name: "If-None-Match", value: ifNoneMatch)) }
        let request = S3Request("PutObject", "PUT", key: key, headers: headers, body: data)
        return try await perform(request) { response in
            await discard(response)
            return response.headers.first(name: "etag")
        }
    }

    /// Stores `data` as `key` in one `PUT`; see `putObject(key:data:contentType:metadata:ifNoneMatch:)`.
    @discardableResult
    public func putObject(
        key: String, data: Data, contentType: String? = nil, metadata: [String: String] = [:],
        ifNoneMatch: String? = nil
    ) async throws -> String? {
        try await putObject(
            key: key, data: ByteBuffer(bytes: data), contentType: contentType, metadata: metadata,
            ifNoneMatch: ifNoneMatch)
    }

    /// The object's size, ETag, time, type and metadata; nil when there is no such key.
    public func head(key: String) async throws -> S3ObjectInfo? {
        try await nilWhenMissing {
            try await perform(S3Request("HeadObject", "HEAD", key: key)) { response in
                await discard(response)
                return S3ObjectInfo(response)
            }
        }
    }

    /// The object, or the bytes of `range` of it (`bytes=a-b`, both ends included), as a stream: the info of the
    /// whole object and a body that arrives as it is read, never held whole in memory. Nil when there is no such
    /// key; a range that starts past the end fails with `416 InvalidRange`.
    public func get(key: String, range: ClosedRange<Int>? = nil) async throws -> S3ObjectStream? {
        var headers: [(name: String, value: String)] = []
        if let range {
            precondition(range.lowerBound >= 0, "a byte range starts at 0 or later")
            headers.append((name: "Range", value: "bytes=\(range.lowerBound)-\(range.upperBound)"))
        }
        let request = S3Request("GetObject", "GET", key: key, headers: headers)
        return try await nilWhenMissing {
            try await perform(request) { response in
                let info = S3ObjectInfo(response)
                var served: ClosedRange<Int>? = info.size > 0 ? 0...(info.size - 1) : nil
                if let contentRange = response.headers.first(name: "content-range"),
                    let bytes = contentRange.split(separator: " ").last?.split(separator: "/").first,
                    case let ends = bytes.split(separator: "-"), ends.count == 2,
                    let first = Int(ends[0]), let last = Int(ends[1]), first <= last
                {
                    served = first...last
                }
                return S3ObjectStream(info: info, range: served, body: response.body)
            }
        }
    }

    /// The whole of a small object in memory (a JSON report, a waveform), at most `limit` bytes; nil when there is
    /// no such key.
    public func data(key: String, limit: Int = 64 << 20) async throws -> Data? {
        guard let object = try await get(key: key) else { return nil }
        do {
            let buffer = try await object.body.collect(upTo: limit)
            return Data(buffer.readableBytesView)
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw S3Error(
                operation: "GetObject", key: key, status: 200, code: nil, message: "reading the body: \(error)")
        }
    }

    /// Streams the object into the file at `localPath`: written under a hidden temporary name in the same folder
    /// and renamed over `localPath` only when whole, so no reader ever sees a partial file. Nil (and no file) when
    /// there is no such key.
    @discardableResult
    public func download(key: String, to localPath: String) async throws -> S3ObjectInfo? {
        guard let object = try await get(key: key) else { return nil }
        let destination = URL(fileURLWithPath: localPath)
        let temporary = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString).partial").path
        do {
            let file = try LocalFile(creating: temporary)
            var written = 0
            do {
                for try await buffer in object.body {
                    try file.write(buffer)
                    written += buffer.readableBytes
                }
                try file.close()
            } catch {
                try? file.close()
                throw error
            }
            guard written == object.info.size else {
                throw S3Error(
                    operation: "GetObject", key: key, status: 200, code: nil,
                    message: "the body ended after \(written) of \(object.info.size) bytes")
            }
            try LocalFile.rename(temporary, to: localPath)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            if Task.isCancelled { throw CancellationError() }
            throw error
        }
        return object.info
    }

    /// Deletes the object; deleting a key that does not exist succeeds, as in S3.
    public func delete(key: String) async throws {
        try await perform(S3Request("DeleteObject", "DELETE", key: key)) { await discard($0) }
    }

    /// `body`'s result, or nil when it fails with a 404.
    func nilWhenMissing<Value>(_ body: () async throws -> Value) async throws -> Value? {
        do {
            return try await body()
        } catch let error as S3Error where error.status == 404 {
            return nil
        }
    }

    /// `Content-Type` and the `x-amz-meta-*` headers of a new object.
    static func objectHeaders(contentType: String?, metadata: [String: String]) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        if let contentType { headers.append((name: "Content-Type", value: contentType)) }
        for (name, value) in metadata.sorted(by: { $0.key < $1.key }) {
            headers.append((name: "x-amz-meta-\(name.lowercased())", value: value))
        }
        return headers
    }
}
