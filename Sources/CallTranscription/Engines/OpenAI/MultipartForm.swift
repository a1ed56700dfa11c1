import Foundation

/// A `multipart/form-data` body (RFC 7578), built in memory: the API's uploads are one short clip each.
final class MultipartForm {
    let boundary = "callaudio-\(UUID().uuidString)"
    private(set) var body = Data()

    var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    func addField(_ name: String, _ value: String) {
        append("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
    }

    func addFile(_ name: String, filename: String, contentType: String, data: Data) {
        append(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(filename)\"\r\n"
                + "Content-Type: \(contentType)\r\n\r\n")
        body.append(data)
        append("\r\n")
    }

    /// The body with its closing boundary.
    func finished() -> Data {
        var closed = body
        closed.append(Data("--\(boundary)--\r\n".utf8))
        return closed
    }

    private func append(_ text: String) { body.append(Data(text.utf8)) }
}
