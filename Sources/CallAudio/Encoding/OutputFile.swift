import AudioCore
import Foundation

/// Small outputs that are written whole (transcripts, reports of later stages), atomically.
public enum OutputFile {
    /// Writes `data` under a temporary name beside `path` and renames it into place (`TemporaryOutput`), so
    /// readers never see a half-written file and a failure leaves nothing under the final name.
    /// - Throws: `AudioError.writeFailed` naming `path`.
    public static func write(_ data: Data, to path: String) throws(AudioError) {
        let output = try TemporaryOutput(finalPath: path)
        do {
            try data.write(to: URL(fileURLWithPath: output.temporaryPath))
        } catch {
            throw AudioError(.writeFailed, path: path, "cannot write the file (\(error.localizedDescription))")
        }
        try output.commit()
    }

    /// Moves a file made in a staging folder to its final name in one rename (`StagedOutputs`).
    /// - Throws: `AudioError.writeFailed` naming `final`.
    static func publish(_ staged: URL, to final: URL) throws(AudioError) {
        guard rename(staged.path, final.path) == 0 else {
            throw AudioError(
                .writeFailed, path: final.path, "cannot move into place (\(String(cString: strerror(errno))))")
        }
    }

    /// Removes what earlier runs that never finished (killed, crashed, taken over) left beside `finalPaths`:
    /// their hidden temporary files and staging folders. A job run again calls it before it starts, so nothing
    /// hidden accumulates however often workers die.
    /// - Returns: how many were removed.
    @discardableResult
    public static func removeLeftovers(of finalPaths: [String]) -> Int {
        var removed = 0
        for path in finalPaths {
            let final = URL(fileURLWithPath: path)
            let folder = final.deletingLastPathComponent()
            let prefix = TemporaryOutput.leftoverPrefix(of: final)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            for name in names where name.hasPrefix(prefix) {
                if (try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))) != nil {
                    removed += 1
                }
            }
        }
        return removed
    }
}
