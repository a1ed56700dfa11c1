import AsyncHTTPClient
import Foundation
import NIOCore

extension S3Client {
    /// S3's smallest part (except the last) and its most parts per upload.
    public static let minimumPartSize = 5 << 20
    public static let maximumPartCount = 10_000

    /// Uploads the file at `localPath` as `key`: in one `PUT` when it is at most `partSize` bytes, else as a
    /// multipart upload read part by part, so memory holds about one part whatever the file's size. A multipart
    /// upload that fails or is cancelled is aborted: no open upload is left behind, and no object appears.
    /// - Parameters:
    ///   - partSize: at least 5 MiB (S3's minimum); raised when the file would need more than 10,000 parts.
    /// - Returns: the object's ETag (`"…-N"` after N parts).
    @discardableResult
    public func uploadFile(
        key: String, from localPath: String, contentType: String? = nil, metadata: [String: String] = [:],
        partSize: Int = 8 << 20
    ) async throws -> String? {
        guard partSize >= Self.minimumPartSize else {
            throw S3Error(
                operation: "UploadFile", key: key, status: nil, code: nil,
                message: "a part of \(partSize) bytes is smaller than S3's minimum of 5 MiB")
        }
        let file = try LocalFile(reading: localPath)
        let size = try file.size()
        if size <= partSize {
            let data = try file.read(upTo: size)
            try file.close()
            guard data.readableBytes == size else { throw FileChanged(path: localPath, expected: size) }
            return try await putObject(key: key, data: data, contentType: contentType, metadata: metadata)
        }
        let parts = FileParts(file: file, size: size, partSize: max(partSize, (size - 1) / Self.maximumPartCount + 1))
        return try await uploadMultipart(key: key, contentType: contentType, metadata: metadata, parts: parts)
    }

    /// Uploads the parts `parts` yields, in order, as one multipart upload of `key` (a stream whose length is not
    /// known, such as an encoder's output). Each part but the last must be at least 5 MiB; each is held in memory
    /// only while it is sent. When `parts` throws, a request fails after its retries, or the task is cancelled,
    /// the upload is aborted before the error is rethrown, so no open upload is left behind and no object appears.
    /// - Returns: the object's ETag (`"…-N"`).
    @discardableResult
    public func uploadMultipart<Parts: AsyncSequence>(
        key: String, contentType: String? = nil, metadata: [String: String] = [:], parts: Parts
    ) async throws -> String where Parts.Element == ByteBuffer {
        // Created and completed outside the task's cancellation: a request cut off half way could leave an upload
        // the server made but whose id never arrived, or one completed without our knowing.
        let uploadID = try await Task {
            try await self.createMultipartUpload(key: key, contentType: contentType, metadata: metadata)
        }.value
        do {
            var uploaded: [S3UploadedPart] = []
            for try await part in parts {
                try Task.checkCancellation()
                guard uploaded.count < Self.maximumPartCount else {
                    throw S3Error(
                        operation: "UploadPart", key: key, status: nil, code: nil,
                        message: "more than \(Self.maximumPartCount) parts")
                }
                uploaded.append(
                    try await uploadPart(key: key, uploadID: uploadID, partNumber: uploaded.count + 1, data: part))
            }
            if uploaded.isEmpty {
                uploaded.append(try await uploadPart(key: key, uploadID: uploadID, partNumber: 1, data: ByteBuffer()))
            }
            try Task.checkCancellation()
            let parts = uploaded
            return try await Task {
                try await self.completeMultipartUpload(key: key, uploadID: uploadID, parts: parts)
            }.value
        } catch {
            let abort = await Task { () -> (any Error)? in
                do {
                    try await self.abortMultipartUpload(key: key, uploadID: uploadID)
                    return nil
                } catch {
                    return error
                }
            }.value
            if let abort {
                throw S3Error(
                    operation: "AbortMultipartUpload", key: key, status: (abort as? S3Error)?.status,
                    code: (abort as? S3Error)?.code,
                    message: "upload \(uploadID) is left open after it failed (\(error)); aborting it failed: \(abort)")
            }
            throw error
        }
    }

    /// Starts a multipart upload of `key` (`CreateMultipartUpload`); the type and metadata are given now.
    /// - Returns: the upload's id, for `uploadPart`, `completeMultipartUpload` and `abortMultipartUpload`.
    public func createMultipartUpload(key: String, contentType: String? = nil, metadata: [String: String] = [:])
        async throws -> String
    {
        let request = S3Request(
            "CreateMultipartUpload", "POST", key: key, query: [(name: "uploads", value: "")],
            headers: Self.objectHeaders(contentType: contentType, metadata: metadata), body: ByteBuffer())
        return try await perform(request) { response in
            guard let id = try await xml(response, request)["UploadId"], !id.isEmpty else {
                throw S3Error(operation: request.operation, key: key, status: 200, code: nil, message: "no UploadId")
            }
            return id
        }
    }

    /// Sends part `partNumber` (1 to 10,000) of an upload (`UploadPart`); sending a number again replaces it.
    public func uploadPart(key: String, uploadID: String, partNumber: Int, data: ByteBuffer) async throws
        -> S3UploadedPart
    {
        let request = S3Request(
            "UploadPart", "PUT", key: key,
            query: [(name: "partNumber", value: String(partNumber)), (name: "uploadId", value: uploadID)], body: data)
        return try await perform(request) { response in
            await discard(response)
            guard let etag = response.headers.first(name: "etag") else {
                throw S3Error(operation: request.operation, key: key, status: 200, code: nil, message: "no ETag")
            }
            return S3UploadedPart(number: partNumber, etag: etag)
        }
    }

    /// Joins the parts into the object (`CompleteMultipartUpload`). S3 may answer `200 OK` with an `<Error>` body:
    /// that is thrown (and retried when S3 says it may be), never taken for success.
    /// - Returns: the object's ETag.
    @discardableResult
    public func completeMultipartUpload(key: String, uploadID: String, parts: [S3UploadedPart]) async throws -> String {
        var body = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for part in parts.sorted(by: { $0.number < $1.number }) {
            body += "<Part><PartNumber>\(part.number)</PartNumber><ETag>\(S3XML.escape(part.etag))</ETag></Part>"
        }
        body += "</CompleteMultipartUpload>"
        let request = S3Request(
            "CompleteMultipartUpload", "POST", key: key, query: [(name: "uploadId", value: uploadID)],
            headers: [(name: "Content-Type", value: "application/xml")], body: ByteBuffer(string: body))
        return try await perform(request) { response in
            let reply = try await xml(response, request)
            if reply.name == "Error" {
                let code = reply["Code"]
                throw S3Error(
                    operation: request.operation, key: key, status: Int(response.status.code), code: code,
                    message: reply["Message"] ?? "an error in a 200 reply",
                    isRetryable: ["InternalError", "SlowDown", "ServiceUnavailable"].contains(code ?? ""))
            }
            guard let etag = reply["ETag"] else {
                throw S3Error(operation: request.operation, key: key, status: 200, code: nil, message: "no ETag")
            }
            return etag
        }
    }

    /// Abandons an upload and frees its parts (`AbortMultipartUpload`); an upload that no longer exists counts as
    /// aborted.
    public func abortMultipartUpload(key: String, uploadID: String) async throws {
        let request = S3Request(
            "AbortMultipartUpload", "DELETE", key: key, query: [(name: "uploadId", value: uploadID)])
        _ = try await nilWhenMissing { try await perform(request) { await discard($0) } }
    }

    /// The uploads under `prefix` that were created and neither completed nor aborted (`ListMultipartUploads`,
    /// every page).
    public func listMultipartUploads(prefix: String = "") async throws -> [S3MultipartUpload] {
        var uploads: [S3MultipartUpload] = []
        var markers: (key: String, uploadID: String)?
        while true {
            var query: [(name: String, value: String)] = [
                (name: "uploads", value: ""), (name: "prefix", value: prefix),
            ]
            if let markers {
                query += [
                    (name: "key-marker", value: markers.key), (name: "upload-id-marker", value: markers.uploadID),
                ]
            }
            let request = S3Request("ListMultipartUploads", "GET", key: nil, query: query)
            let page = try await perform(request) { try await xml($0, request) }
            for upload in page.children("Upload") {
                guard let key = upload["Key"], let id = upload["UploadId"] else { continue }
                uploads.append(
                    S3MultipartUpload(
                        key: key, uploadID: id, initiated: upload["Initiated"].flatMap(HTTPDate.parseISO8601)))
            }
            guard page["IsTruncated"] == "true", let key = page["NextKeyMarker"], let id = page["NextUploadIdMarker"],
                markers?.key != key || markers?.uploadID != id
            else { return uploads }
            markers = (key, id)
        }
    }
}

/// A file read part by part for a multipart upload; throws `FileChanged` if it does not hold the size it had.
struct FileParts: AsyncSequence {
    typealias Element = ByteBuffer
    let file: LocalFile
    let size: Int
    let partSize: Int

    struct AsyncIterator: AsyncIteratorProtocol {
        let parts: FileParts
        var offset = 0

        mutating func next() async throws -> ByteBuffer? {
            guard offset < parts.size else {
                // The end: the file must end here too.
                guard try parts.file.read(upTo: 1).readableBytes == 0 else {
                    throw FileChanged(path: parts.file.path, expected: parts.size)
                }
                return nil
            }
            let part = try parts.file.read(upTo: Swift.min(parts.partSize, parts.size - offset))
            guard part.readableBytes == Swift.min(parts.partSize, parts.size - offset) else {
                throw FileChanged(path: parts.file.path, expected: parts.size)
            }
            offset += part.readableBytes
            return part
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(parts: self) }
}

/// A file that grew or shrank while it was being uploaded.
struct FileChanged: Error, CustomStringConvertible {
    var path: String
    var expected: Int
    var description: String { "\(path) changed while it was uploaded (it had \(expected) bytes)" }
}
