import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore

extension S3Client {
    /// One page of the keys under `prefix` (`ListObjectsV2`), in key order. With a `delimiter` (`/`), keys that go
    /// on past it after the prefix are folded into `commonPrefixes`, as folders.
    /// - Parameters:
    ///   - continuationToken: the previous page's `nextContinuationToken`; nil for the first page.
    ///   - maxKeys: at most this many keys and prefixes (S3's default and largest is 1,000).
    public func list(
        prefix: String = "", delimiter: String? = nil, continuationToken: String? = nil, maxKeys: Int? = nil
    ) async throws -> S3ListPage {
        var query: [(name: String, value: String)] = [(name: "list-type", value: "2"), (name: "prefix", value: prefix)]
        if let delimiter { query.append((name: "delimiter", value: delimiter)) }
        if let continuationToken { query.append((name: "continuation-token", value: continuationToken)) }
        if let maxKeys { query.append((name: "max-keys", value: String(maxKeys))) }
        var request = S3Request("ListObjectsV2", "GET", key: nil, query: query)
        request.key = prefix
        let reply = try await perform(request) { try await xml($0, request) }
        let objects = reply.children("Contents").compactMap { item -> S3ListedObject? in
            guard let key = item["Key"] else { return nil }
            return S3ListedObject(
                key: key, size: Int(item["Size"] ?? "") ?? 0, etag: item["ETag"],
                lastModified: item["LastModified"].flatMap(HTTPDate.parseISO8601))
        }
        let next =
            reply["IsTruncated"] == "true" ? reply["NextContinuationToken"].flatMap { $0.isEmpty ? nil : $0 } : nil
        return S3ListPage(
            objects: objects, commonPrefixes: reply.children("CommonPrefixes").compactMap { $0["Prefix"] },
            nextContinuationToken: next)
    }

    /// Every object under `prefix`, all pages of `list` read.
    public func listAll(prefix: String) async throws -> [S3ListedObject] {
        var objects: [S3ListedObject] = []
        var token: String?
        repeat {
            let page = try await list(prefix: prefix, continuationToken: token)
            objects += page.objects
            token = page.nextContinuationToken
        } while token != nil
        return objects
    }

    /// Deletes `keys` with `DeleteObjects`, at most `batchSize` (≤ 1,000) per request.
    /// - Returns: the keys S3 did not delete, each with its reason; empty when all went. A key that did not exist
    ///   counts as deleted.
    /// - Throws: `S3Error` when a request itself fails (after its retries).
    public func deleteObjects(keys: [String], batchSize: Int = 1000) async throws -> [S3DeleteFailure] {
        precondition((1...1000).contains(batchSize), "DeleteObjects takes 1 to 1,000 keys")
        var failures: [S3DeleteFailure] = []
        var start = keys.startIndex
        while start < keys.endIndex {
            let batch = keys[start..<min(start + batchSize, keys.endIndex)]
            start = batch.endIndex
            var body = "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Quiet>true</Quiet>"
            for key in batch { body += "<Object><Key>\(S3XML.escape(key))</Key></Object>" }
            body += "</Delete>"
            let bytes = ByteBuffer(string: body)
            let md5 = Data(Insecure.MD5.hash(data: Data(body.utf8))).base64EncodedString()
            var request = S3Request(
                "DeleteObjects", "POST", key: nil, query: [(name: "delete", value: "")],
                headers: [(name: "Content-MD5", value: md5), (name: "Content-Type", value: "application/xml")],
                body: bytes)
            request.key = batch.count == 1 ? batch.first : "\(batch.first ?? "")…(\(batch.count) keys)"
            let result = try await perform(request) { try await xml($0, request) }
            if result.name == "Error" {
                throw S3Error(
                    operation: "DeleteObjects", key: request.key, status: 200, code: result["Code"],
                    message: result["Message"] ?? "an error in a 200 reply")
            }
            for error in result.children("Error") {
                let code = error["Code"]
                guard code != "NoSuchKey" else { continue }
                failures.append(S3DeleteFailure(key: error["Key"] ?? "", code: code, message: error["Message"]))
            }
        }
        return failures
    }

    /// Deletes every object under `prefix` (a recording's folder), listing and deleting `batchSize` keys at a time,
    /// and again while anything is left, until a listing finds the prefix empty.
    /// - Returns: how many objects were deleted.
    /// - Throws: `S3Error` (operation `DeletePrefix`) naming a key left and S3's reason, when three passes could
    ///   not empty the prefix; an empty prefix (the whole bucket) is refused.
    @discardableResult
    public func deletePrefix(_ prefix: String, batchSize: Int = 1000) async throws -> Int {
        guard !prefix.isEmpty else {
            throw S3Error(
                operation: "DeletePrefix", key: prefix, status: nil, code: nil,
                message: "refusing to delete a whole bucket (an empty prefix)")
        }
        var deleted = 0
        var lastFailure: S3DeleteFailure?
        for _ in 1...3 {
            var token: String?
            lastFailure = nil
            repeat {
                let page = try await list(prefix: prefix, continuationToken: token, maxKeys: batchSize)
                token = page.nextContinuationToken
                guard !page.objects.isEmpty else { continue }
                let failures = try await deleteObjects(keys: page.objects.map(\.key), batchSize: batchSize)
                deleted += page.objects.count - failures.count
                lastFailure = failures.last ?? lastFailure
            } while token != nil
            if try await list(prefix: prefix, maxKeys: 1).objects.isEmpty { return deleted }
        }
        let left = try await list(prefix: prefix, maxKeys: 1).objects.first?.key
        throw S3Error(
            operation: "DeletePrefix", key: prefix, status: nil, code: lastFailure?.code,
            message: "objects are left after three passes, such as '\(lastFailure?.key ?? left ?? "?")'"
                + (lastFailure?.message.map { ": \($0)" } ?? ""))
    }
}
