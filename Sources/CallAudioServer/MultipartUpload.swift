import CallRecordings
import Foundation
import Hummingbird
import MultipartKit
import NIOCore

/// A `multipart/form-data` upload streamed to disk part by part: file parts go straight into files in a
/// staging folder, small text fields are kept; nothing is held whole in memory, and the upload stops with
/// `UploadError.tooLarge` as soon as it passes its size limit.
struct MultipartUpload {
    /// What arrived: each file part's name and where it was written, and the text fields.
    typealias Form = IngestForm

    enum UploadError: Error, Equatable {
        case tooLarge
        case malformed(String)
    }

    /// The longest text field kept, in bytes.
    static let maxFieldBytes = 16 * 1024

    let boundary: String
    let folder: URL
    let maxBytes: Int

    /// The boundary of a `multipart/form-data` content type; nil for any other type.
    static func boundary(contentType: String?) -> String? {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "boundary", !pair[1].isEmpty {
                return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }

    /// Reads a `multipart/form-data` request body into `folder`, failing as HTTP does: `415` for another content
    /// type, `413` past `maxBytes`, `400` for a malformed body.
    static func form(of body: RequestBody, contentType: String?, into folder: URL, maxBytes: Int) async throws
        -> Form
    {
        guard let boundary = boundary(contentType: contentType) else {
            throw HTTPError(.unsupportedMediaType, message: "send the upload as multipart/form-data")
        }
        do {
            return try await MultipartUpload(boundary: boundary, folder: folder, maxBytes: maxBytes).receive(body)
        } catch UploadError.tooLarge {
            throw HTTPError(.contentTooLarge, message: "the upload is larger than \(maxBytes) bytes")
        } catch UploadError.malformed(let message) {
            throw HTTPError(.badRequest, message: message)
        }
    }

    /// Reads the whole body, writing file parts into `folder` as `NAME.EXT` (the extension taken from the
    /// part's file name when it is a plain one).
    func receive<Body: AsyncSequence>(_ body: Body) async throws -> Form where Body.Element == ByteBuffer {
        let parser = MultipartParser(boundary: boundary)
        let part = PartWriter(folder: folder)
        parser.onHeader = { name, value in part.header(name: name, value: value) }
        parser.onBody = { buffer in part.body(&buffer) }
        parser.onPartComplete = { part.complete() }
        var headerNames = MultipartHeaderNames(boundary: boundary)
        var received = 0
        for try await chunk in body {
            received += chunk.readableBytes
            if received > maxBytes { throw UploadError.tooLarge }
            try headerNames.check(chunk)
            do {
                try parser.execute(chunk)
            } catch {
                throw UploadError.malformed("the multipart body is malformed")
            }
            if let problem = part.problem { throw UploadError.malformed(problem) }
        }
        part.complete()
        return part.form
    }
}

/// The part being received: its headers, then its bytes into a file or a field.
private final class PartWriter {
    let folder: URL
    var form = MultipartUpload.Form()
    var problem: String?
    private var name: String?
    private var fileName: String?
    private var file: FileHandle?
    private var field = Data()

    init(folder: URL) { self.folder = folder }

    func header(name headerName: String, value: String) {
        guard headerName.lowercased() == "content-disposition" else { return }
        name = Self.parameter("name", in: value)
        fileName = Self.parameter("filename", in: value)
    }

    func body(_ buffer: inout ByteBuffer) {
        guard problem == nil, let name else { return }
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        if fileName != nil {
            do {
                try openFile(for: name).write(contentsOf: bytes)
            } catch {
                problem = "cannot store part \(name)"
            }
        } else if field.count + bytes.count <= MultipartUpload.maxFieldBytes {
            field.append(contentsOf: bytes)
        } else {
            problem = "field \(name) is longer than \(MultipartUpload.maxFieldBytes) bytes"
        }
    }

    func complete() {
        if let name, fileName != nil {
            _ = try? openFile(for: name)  // an empty file part still names a file
        } else if let name {
            form.fields[name] = String(decoding: field, as: UTF8.self)
        }
        try? file?.close()
        file = nil
        name = nil
        fileName = nil
        field = Data()
    }

    private func openFile(for name: String) throws -> FileHandle {
        if let file { return file }
        guard StoredName.isPlain(name), name.count <= 32, name.allSatisfy({ $0.isLetter || $0.isNumber })
        else { throw MultipartUpload.UploadError.malformed("part name \(name) is not allowed") }
        let url = folder.appendingPathComponent(IngestForm.storedName(part: name, fileName: fileName))
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw MultipartUpload.UploadError.malformed("cannot store part \(name)")
        }
        let handle = try FileHandle(forWritingTo: url)
        file = handle
        form.files[name] = url
        form.clientFileNames[name] = fileName
        return handle
    }

    /// The value of `key="..."` (or `key=...`) in a `Content-Disposition` value.
    private static func parameter(_ key: String, in value: String) -> String? {
        for item in value.split(separator: ";").dropFirst() {
            let pair = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == key {
                return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }
}
