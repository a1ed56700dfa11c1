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
        self.temporaryPath =
            folder.appendingPathComponent(
                ".\(url.lastPathComponent).\(purpose)-\(UUID().uuidString.prefix(8))"
            ).path
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
