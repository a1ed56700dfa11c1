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

    /// Moves a file made in a staging folder to its final name in one rename, for outputs that are published
    /// together once all are made (a voicemail's three files, a prompt's renditions).
    /// - Throws: `AudioError.writeFailed` naming `final`.
    public static func publish(_ staged: URL, to final: URL) throws(AudioError) {
        guard rename(staged.path, final.path) == 0 else {
            throw AudioError(
                .writeFailed, path: final.path, "cannot move into place (\(String(cString: strerror(errno))))")
        }
    }
}
