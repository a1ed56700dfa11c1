import Foundation

/// The folder whose files the platform may name instead of uploading them (`serve --ingest DIR`): a text part
/// `leg1=c-1001/caller.wav` of `POST /v1/calls` is that file, copied into the recording so that deleting the
/// recording never touches the platform's folder. No path a request names can leave the folder: absolute
/// paths, `..` (also percent-encoded) and symlinks that resolve outside it are refused.
public struct IngestFolder: Sendable {
    /// The folder, symlinks resolved.
    public let root: URL

    /// - Throws: `CocoaError` when `path` is not an existing folder.
    public init(path: String) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        root = URL(fileURLWithPath: path, isDirectory: true).resolvingSymlinksInPath().standardizedFileURL
    }

    /// The regular file `relativePath` names inside the folder.
    /// - Throws: `FieldProblem` naming `field` when the path leaves the folder or names no regular file.
    func file(_ relativePath: String, field: String) throws(FieldProblem) -> URL {
        let decoded = relativePath.removingPercentEncoding ?? relativePath
        let components = [relativePath, decoded].flatMap { $0.split(separator: "/", omittingEmptySubsequences: false) }
        guard !relativePath.isEmpty, !relativePath.hasPrefix("/"), !decoded.hasPrefix("/"),
            !relativePath.contains("\0"), !components.contains("..")
        else {
            throw FieldProblem(message: "\(field): a path inside the ingest folder, as c-1001/caller.wav")
        }
        let file = root.appendingPathComponent(relativePath).resolvingSymlinksInPath().standardizedFileURL
        guard file.path.hasPrefix(root.path + "/") else {
            throw FieldProblem(message: "\(field): the path leads out of the ingest folder")
        }
        guard
            (try? FileManager.default.attributesOfItem(atPath: file.path)[.type] as? FileAttributeType) == .typeRegular
        else {
            throw FieldProblem(message: "\(field): there is no file at that path in the ingest folder")
        }
        return file
    }

    /// Copies the file `relativePath` names into `folder` as `name` plus the file's extension.
    func copy(_ relativePath: String, field: String, into folder: URL) throws -> URL {
        let source = try file(relativePath, field: field)
        let copy = folder.appendingPathComponent(
            IngestForm.storedName(part: field, fileName: source.lastPathComponent))
        try FileManager.default.copyItem(at: source, to: copy)
        return copy
    }
}
