import AudioCore
import Foundation

/// A file written under a hidden temporary name beside its final name and renamed into place only once
/// complete, so readers never see a half-written output and a failed run leaves nothing under the final name.
final class TemporaryOutput {
    let finalPath: String
    let temporaryPath: String
    private var committed = false

    /// Reserves a temporary name in the final file's folder (created when missing), on the same file system,
    /// so the rename is atomic.
    init(finalPath: String, purpose: String = "part") throws(AudioError) {
        let url = URL(fileURLWithPath: finalPath)
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw AudioError(
                .writeFailed, path: folder.path, "cannot create the folder (\(error.localizedDescription))")
        }
        self.finalPath = finalPath
        self.temporaryPath = folder.appendingPathComponent(Self.name(beside: url, purpose: purpose)).path
    }

    /// The hidden name of a temporary for `final`: `.call.mp3.part-1a2b3c4d`. Whatever begins with
    /// `leftoverPrefix(of: final)` belongs to some run that writes `final`.
    static func name(beside final: URL, purpose: String) -> String {
        "\(leftoverPrefix(of: final))\(purpose)-\(UUID().uuidString.prefix(8))"
    }

    static func leftoverPrefix(of final: URL) -> String {
        let name = final.lastPathComponent
        guard name.utf8.count + 2 > maxPrefixBytes else { return ".\(name)." }
        // A name near the file system's 255-byte limit: shortened, told apart by a hash of the whole name.
        var kept = ""
        for character in name {
            guard kept.utf8.count + character.utf8.count <= maxPrefixBytes - 20 else { break }
            kept.append(character)
        }
        return ".\(kept)~\(String(fnv1a(name), radix: 16))."
    }

    /// Room for the prefix in a 255-byte name, leaving 20 bytes for the purpose and the random part.
    private static let maxPrefixBytes = 235

    /// FNV-1a, 64-bit: a stable hash that needs no crypto library.
    private static func fnv1a(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }

    /// Creates the temporary file, empty, and opens it for reading and writing; nil when that fails. Made by
    /// open(2) itself: Foundation's `createFile` first writes a `.dat.nosync` file of its own, which a process
    /// killed at that moment would leave behind under a name no later run recognises.
    func create() -> FileHandle? {
        let descriptor = open(temporaryPath, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return nil }
        return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    /// Gives the temporary file its final name, replacing any earlier output of the same name.
    func commit() throws(AudioError) {
        guard rename(temporaryPath, finalPath) == 0 else {
            throw AudioError(
                .writeFailed, path: finalPath,
                "cannot move the finished file into place (\(String(cString: strerror(errno))))")
        }
        committed = true
    }

    /// Removes the temporary file unless it was committed.
    deinit {
        if !committed { unlink(temporaryPath) }
    }
}
