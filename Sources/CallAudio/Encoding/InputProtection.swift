import AudioCore
import Foundation

/// Refuses outputs that would replace an input: two paths name the same file when they share device and inode,
/// whatever links, `..` or spellings lead there. Checked before anything is written.
enum InputProtection {
    /// A file's identity on this machine: its device and inode (links followed).
    struct FileIdentity: Hashable {
        let device: UInt64
        let inode: UInt64

        /// The identity of what `path` names, or nil when nothing exists there yet.
        init?(path: String) {
            var status = stat()
            guard stat(path, &status) == 0 else { return nil }
            device = UInt64(status.st_dev)
            inode = UInt64(status.st_ino)
        }
    }

    /// Throws when any of `outputs` is the same file as one of `inputs`.
    static func refuseOverwriting(inputs: [String], with outputs: [String]) throws(AudioError) {
        let inputIdentities = Dictionary(
            inputs.compactMap { path in FileIdentity(path: path).map { ($0, path) } }, uniquingKeysWith: { a, _ in a })
        for output in outputs {
            guard let identity = FileIdentity(path: output), let input = inputIdentities[identity] else { continue }
            throw AudioError(
                .invalidRecipe, path: output, "is an input of this run (\(input)); refusing to write over it")
        }
    }
}
