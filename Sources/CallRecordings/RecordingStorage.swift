import Crypto
import Foundation

/// The storage folder: one folder per recording (`recordings/ID/`) holding its inputs and everything made from
/// them, a staging area for uploads in progress (`uploads/`), and the key that signs media URLs.
///
/// Every path handed out is built from a validated recording id and checked to resolve, symlinks followed,
/// inside the storage root, so nothing a request carries can reach a file outside it.
public struct RecordingStorage: Sendable {
    /// The storage root, symlinks resolved.
    public let root: URL

    /// Opens (creating when missing) the storage folder at `path`. Folders it creates are for the service's
    /// user only (0700): they hold people's calls.
    public init(path: String) throws {
        let url = URL(fileURLWithPath: path, isDirectory: true)
        for folder in ["recordings", "uploads"] {
            try FileManager.default.createDirectory(
                at: url.appendingPathComponent(folder), withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        }
        root = url.resolvingSymlinksInPath()
    }

    /// The ids of every recording folder, in no particular order.
    public func recordingIDs() -> [String] {
        let recordings = root.appendingPathComponent("recordings")
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: recordings.path)) ?? []
        return folders.filter(RecordingID.isValid)
    }

    /// The folder of recording `id`, or nil when `id` is not a well-formed recording id.
    public func folder(of id: String) -> URL? {
        guard RecordingID.isValid(id) else { return nil }
        return root.appendingPathComponent("recordings").appendingPathComponent(id, isDirectory: true)
    }

    /// The file `name` inside recording `id`'s folder when it exists there as a regular file and resolves
    /// inside the storage root (a symlink pointing out is refused); nil otherwise.
    public func existingFile(_ name: String, of id: String) -> URL? {
        guard let folder = folder(of: id), Self.isPlainName(name) else { return nil }
        let file = folder.appendingPathComponent(name)
        guard contains(file),
            let type = try? FileManager.default.attributesOfItem(atPath: file.path)[.type] as? FileAttributeType,
            type == .typeRegular
        else { return nil }
        return file
    }

    /// True when `url`, with symlinks resolved, lies inside the storage root.
    public func contains(_ url: URL) -> Bool {
        let resolved = url.resolvingSymlinksInPath().standardizedFileURL.path
        return resolved.hasPrefix(root.standardizedFileURL.path + "/")
    }

    /// A fresh, empty staging folder for an upload (hidden from every recording route).
    public func makeStagingFolder() throws -> URL {
        let folder = root.appendingPathComponent("uploads").appendingPathComponent(RecordingID.random())
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// The folder where every API node sharing this storage remembers the signed requests it accepted.
    public var seenMessageIDs: URL { root.appendingPathComponent(".webhook-ids", isDirectory: true) }

    /// The key that signs media URLs: read from `.media-signing-key`, created (mode 0600) on first use, so that
    /// every API node sharing this storage signs alike and URLs survive a restart.
    public func mediaSigningKey() throws -> SymmetricKey {
        let url = root.appendingPathComponent(".media-signing-key")
        if let data = try? Data(contentsOf: url), data.count == 32 { return SymmetricKey(data: data) }
        let key = SymmetricKey(size: .bits256)
        let data = key.withUnsafeBytes { Data($0) }
        let staging = root.appendingPathComponent(".media-signing-key.\(RecordingID.random())")
        guard
            FileManager.default.createFile(atPath: staging.path, contents: data, attributes: [.posixPermissions: 0o600])
        else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: staging.path]) }
        _ = try? FileManager.default.linkItem(at: staging, to: url)  // the first node to link it wins
        try? FileManager.default.removeItem(at: staging)
        return SymmetricKey(data: try Data(contentsOf: url))
    }

    /// A single path component with no separators, no `..` and no hidden prefix.
    public static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && !name.contains("/") && !name.contains("\\") && !name.hasPrefix(".") && !name.contains("\0")
    }
}

/// Recording ids: 24 lowercase hex digits, keyed from the platform's call id (`MediaSigner.recordingID`) so
/// that a repeat submission names the same recording, or random when the platform gives none.
public enum RecordingID {
    public static func random() -> String {
        (0..<12).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }

    public static func isValid(_ id: String) -> Bool {
        id.count == 24 && id.allSatisfy { $0.isHexDigit && ($0.isNumber || $0.isLowercase) }
    }
}
