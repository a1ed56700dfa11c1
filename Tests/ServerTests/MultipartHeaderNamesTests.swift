import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import CallAudioServer

/// A part whose header name holds a byte that is not ASCII is refused before MultipartKit's parser (which traps
/// on it) sees it, however the body is cut into chunks; what multipart allows (UTF-8 in a file name, any bytes in
/// a part's content) passes.
@Suite struct MultipartHeaderNamesTests {
    static let boundary = "b0und"

    static func body(headerName: [UInt8], fileName: String = "Zoë.wav", content: [UInt8] = [0xff, 0x0d, 0x0a, 0x2d])
        -> [UInt8]
    {
        var body = Array("--\(boundary)\r\n".utf8) + headerName
        body += Array(": form-data; name=\"file\"; filename=\"\(fileName)\"\r\n\r\n".utf8) + content
        body += Array("\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\ngreeting".utf8)
        return body + Array("\r\n--\(boundary)--\r\nepilogue \u{e9}: x\r\n".utf8)
    }

    /// Feeds `body` in chunks of `size` bytes; the error thrown, if any.
    static func check(_ body: [UInt8], chunk size: Int) -> MultipartUpload.UploadError? {
        var names = MultipartHeaderNames(boundary: boundary)
        do {
            for start in stride(from: 0, to: body.count, by: size) {
                try names.check(ByteBuffer(bytes: body[start..<min(start + size, body.count)]))
            }
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [1, 2, 3, 7, 1000])
    func aNonASCIIHeaderNameIsRefusedAndAllElsePasses(chunk: Int) {
        #expect(Self.check(Self.body(headerName: Array("Content-Disposition".utf8)), chunk: chunk) == nil)
        let refused = Self.check(Self.body(headerName: Array("Content-Dispositi".utf8) + [0xc3, 0xb6]), chunk: chunk)
        #expect(refused == .malformed("a part's header name holds a byte that is not ASCII"))
    }

    @Test func theServiceAnswers400AndGoesOn() async throws {
        let harness = try await ServiceHarness()
        try await harness.app.test(.router) { client in
            for path in ["/v1/prompts", "/v1/calls"] {
                let body = Self.body(headerName: [0xff, 0x41])
                let response = try await client.execute(
                    uri: path, method: .post,
                    headers: [
                        .authorization: "Bearer \(ServiceHarness.key)",
                        .contentType: "multipart/form-data; boundary=\(Self.boundary)",
                    ],
                    body: ByteBuffer(bytes: body))
                #expect(response.status == .badRequest, "\(path)")
            }
            #expect(try await client.execute(uri: "/livez", method: .get).status == .ok)
        }
    }
}
