import CallRecordings
import Crypto
import Foundation
import NIOPosix

/// Strong ETags from the SHA-256 of a file's bytes, computed once per version of the file (path, size and
/// modification time) on NIO's blocking-I/O thread pool and remembered.
actor ContentHashes {
    private struct Version: Hashable {
        var path: String
        var size: Int
        var modified: Date
    }

    private var known: [Version: String] = [:]

    /// The quoted ETag of the file at `path` as it is now (`size` and `modified` from the caller's stat).
    func etag(path: String, size: Int, modified: Date) async throws -> String {
        let version = Version(path: path, size: size, modified: modified)
        if let etag = known[version] { return etag }
        let etag = try await NIOThreadPool.singleton.runIfActive { try Self.hash(path: path) }
        if known.count > 10_000 { known.removeAll() }
        known[version] = etag
        return etag
    }

    private static func hash(path: String) throws -> String {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 256 * 1024), !chunk.isEmpty { hasher.update(data: chunk) }
        return "\"" + hasher.finalize().map { String(format: "%02x", $0) }.joined() + "\""
    }
}
