import AudioCore
import Foundation

/// A file of an optional runtime installed from a pinned wheel (DeepFilterNet3, Moonshine), checked against its
/// SHA-256 sum before it is loaded: a damaged or foreign file must become an error here, not a crash in the
/// library. Each path is hashed once per process.
public enum PinnedFile {
    /// Checks that `path` holds the file whose SHA-256 is `sha256`.
    /// - Parameters:
    ///   - product: what the file belongs to, as the error names it (`DeepFilterNet3`).
    ///   - installHint: how to install it, ending every error.
    /// - Throws: `AudioError` `fileNotFound` when it is missing, `unsupportedFormat` when it is not that file.
    public static func verify(_ path: String, sha256: String, of product: String, installHint: String)
        throws(AudioError)
    {
        if verified.contains(path) { return }
        guard let file = FileHandle(forReadingAtPath: path) else {
            throw AudioError(.fileNotFound, path: path, "is missing: \(installHint)")
        }
        defer { try? file.close() }
        let digester: LibCryptoSHA256
        do {
            digester = try LibCryptoSHA256.shared.get()
        } catch {
            throw AudioError(.unsupportedFormat, path: path, "cannot be checked: no SHA-256 (\(error.reason))")
        }
        guard let actual = digester.hexDigest(of: file) else {
            throw AudioError(.unsupportedFormat, path: path, "cannot be read to check it: \(installHint)")
        }
        guard actual == sha256 else {
            throw AudioError(
                .unsupportedFormat, path: path, "is damaged or not the pinned \(product) file: \(installHint)")
        }
        verified.insert(path)
    }

    /// The first folder `cacheFolder` (a path relative to a working copy, `.cache/deepfilter`) holding `fileName`,
    /// looked for in the executable's folder and each of its parents (a build inside the working copy), then in
    /// the current folder and each of its parents; nil when there is none.
    public static func nearbyFolder(_ cacheFolder: String, holding fileName: String) -> String? {
        let starts = [
            Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent(),
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
        ]
        for start in starts.compactMap({ $0 }) {
            var folder = start.standardizedFileURL
            while true {
                let candidate = folder.appendingPathComponent(cacheFolder).path
                if FileManager.default.fileExists(atPath: candidate + "/" + fileName) { return candidate }
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        return nil
    }

    /// Verified paths, so that each process hashes a file once.
    private static let verified = VerifiedFiles()
}

/// The set of file paths whose checksum has been verified in this process, shared across threads.
private final class VerifiedFiles: @unchecked Sendable {
    // Guarded by `lock`, which is what makes sharing it safe.
    private let lock = NSLock()
    private var paths: Set<String> = []

    func contains(_ path: String) -> Bool { lock.withLock { paths.contains(path) } }
    func insert(_ path: String) { _ = lock.withLock { paths.insert(path) } }
}
