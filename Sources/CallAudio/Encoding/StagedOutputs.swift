import AudioCore
import Foundation

/// A run's outputs, made under their final names in a hidden staging folder beside the destination and moved
/// into place together once every one is made: a reader sees all of a run's outputs or none of them, and a
/// failed, cancelled or taken-over run leaves nothing under a final name. The staging folder goes when this
/// object does, and so does the destination folder if this run created it and publishes nothing into it; a
/// staging folder that a killed run left behind is swept by `OutputFile.removeLeftovers` of the marker.
public final class StagedOutputs {
    /// Where the outputs are made.
    public let folder: URL
    /// Where `publish` moves them.
    public let destination: URL
    /// True when the destination did not exist before this run.
    private let createdDestination: Bool
    private var isPublished = false

    /// Creates the staging folder in `destination` (created when missing), named after `marker`, one of the
    /// final names (`.call.json.staging-1a2b3c4d`), so that the leftovers of `marker` include it.
    /// - Throws: `AudioError.writeFailed` naming the folder that cannot be made.
    public init(in destination: URL, marker: String) throws(AudioError) {
        self.destination = destination
        createdDestination = !FileManager.default.fileExists(atPath: destination.path)
        self.folder = destination.appendingPathComponent(
            TemporaryOutput.name(beside: destination.appendingPathComponent(marker), purpose: "staging"),
            isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw AudioError(
                .writeFailed, path: destination.path, "cannot create the folder (\(error.localizedDescription))")
        }
    }

    /// Where to make the output that will be published as `name`.
    public func path(of name: String) -> String {
        folder.appendingPathComponent(name).path
    }

    /// Moves the outputs `names` into the destination, in order (so put the report last: whoever sees it finds
    /// the rest in place), once `permission` confirms that this run may still publish: not cancelled, and for a
    /// worker, still the holder of the job's lease. When a move fails, the outputs this call moved already are
    /// removed again, so none of the run's outputs is left.
    /// - Throws: `AudioError.cancelled` when permission is refused; `AudioError.writeFailed` naming the output
    ///   that could not be moved.
    public func publish(_ names: [String], permission: CancellationFlag) throws(AudioError) {
        try permission.confirmPublishing()
        var published: [URL] = []
        for name in names {
            let final = destination.appendingPathComponent(name)
            do {
                try OutputFile.publish(folder.appendingPathComponent(name), to: final)
            } catch {
                for done in published { unlink(done.path) }
                throw error
            }
            published.append(final)
        }
        isPublished = true
    }

    deinit {
        try? FileManager.default.removeItem(at: folder)
        // rmdir(2) removes only an empty folder: nothing anyone else put there is touched.
        if createdDestination && !isPublished { rmdir(destination.path) }
    }
}
