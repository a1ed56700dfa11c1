import AudioTesting
import Crypto
import Foundation
import NIOCore
import S3

/// Clients of the suite's SeaweedFS (started once per test process), names no other test uses, and test bytes.
enum TestStorage {
    /// A client of the test bucket; with `secret`, one that signs with that secret instead of the right one.
    static func client(secret: String? = nil, retryPolicy: S3RetryPolicy = .standard) throws -> S3Client {
        var environment = try SeaweedFSTestServer.environment()
        if let secret { environment["AWS_SECRET_ACCESS_KEY"] = secret }
        return S3Client(
            bucket: SeaweedFSTestServer.bucket, configuration: try S3Configuration(environment: environment),
            retryPolicy: retryPolicy)
    }

    /// A prefix of the test's own, `test-UUID/`.
    static func prefix(_ name: String = #function) -> String {
        "test-\(name.prefix { $0.isLetter })-\(UUID().uuidString)/"
    }

    /// `count` pseudo-random bytes from `seed` (xorshift64*), the same on every run.
    static func bytes(_ count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> [UInt8] {
        var state = seed | 1
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < count {
                state ^= state >> 12
                state ^= state << 25
                state ^= state >> 27
                var word = (state &* 0x2545_F491_4F6C_DD1D).littleEndian
                let take = min(8, count - offset)
                withUnsafeBytes(of: &word) {
                    buffer.baseAddress!.advanced(by: offset).copyMemory(from: $0.baseAddress!, byteCount: take)
                }
                offset += take
            }
        }
        return bytes
    }

    static func sha256(_ bytes: some DataProtocol) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    static func md5(_ bytes: [UInt8]) -> String {
        Insecure.MD5.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }
}

extension S3ObjectStream {
    /// The whole body, for tests of small ranges.
    func bytes() async throws -> [UInt8] { Array(try await body.collect(upTo: 64 << 20).readableBytesView) }
}
