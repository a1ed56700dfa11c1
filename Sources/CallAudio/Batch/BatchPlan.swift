import AudioCore
import Foundation

/// Finds the recordings to re-encode under files and folders and decides where each output goes: a folder's
/// tree is mirrored under the output folder, a file named directly lands at the output folder's top.
public struct BatchPlan: Sendable {
    /// File extensions taken from folders (files named directly are always taken).
    public static let audioExtensions: Set<String> = [
        "wav", "wave", "flac", "ogg", "oga", "opus", "mp3", "aif", "aiff", "aifc", "au", "snd", "caf", "w64", "rf64",
        "pcap", "pcapng",
    ]

    public var recipes: [EncodeRecipe] = []
    /// Inputs that cannot be planned (missing, or two inputs that would write the same output).
    public var problems: [AudioError] = []

    public init(inputs: [String], outputDirectory: String, encoding: Encoding, sampleRate: Int? = nil) {
        let outputRoot = URL(fileURLWithPath: outputDirectory).standardizedFileURL
        var claimedOutputs: [String: String] = [:]
        let outputFolder = InputProtection.FileIdentity(path: outputRoot.path)
        for input in inputs {
            for (file, relative) in Self.files(in: input, skipping: outputFolder, problems: &problems) {
                let output = outputRoot.appendingPathComponent(relative).deletingPathExtension()
                    .appendingPathExtension(encoding.container.fileExtension).path
                do {
                    try InputProtection.refuseOverwriting(inputs: [file], with: [output])
                } catch {
                    problems.append(error)
                    continue
                }
                if let earlier = claimedOutputs[output] {
                    problems.append(
                        AudioError(.invalidRecipe, path: file, "would overwrite the output of \(earlier) (\(output))"))
                    continue
                }
                claimedOutputs[output] = file
                recipes.append(EncodeRecipe(input: file, output: output, encoding: encoding, sampleRate: sampleRate))
            }
        }
    }

    /// The audio files an input names, each with the path its output takes under the output folder. The
    /// output folder itself is never entered, so a rerun does not re-encode its own outputs. Symbolic links to
    /// files are followed (a link to a folder is not, so no loop); a folder that cannot be read is a problem
    /// named in the summary, never a silent gap.
    private static func files(
        in input: String, skipping outputFolder: InputProtection.FileIdentity?, problems: inout [AudioError]
    ) -> [(String, String)] {
        let url = URL(fileURLWithPath: input).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            problems.append(AudioError(.fileNotFound, path: input, "no such file or folder"))
            return []
        }
        guard isDirectory.boolValue else { return [(url.path, url.lastPathComponent)] }
        let unreadable = UnreadableFolders()
        guard
            let walker = FileManager.default.enumerator(
                at: url, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles],
                errorHandler: unreadable.record)
        else { return [] }
        var found: [(String, String)] = []
        var misnamed = NamesNotUTF8.in(url)
        for case let file as URL in walker {
            if outputFolder != nil && InputProtection.FileIdentity(path: file.path) == outputFolder {
                walker.skipDescendants()
                continue
            }
            if (try? file.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true {
                guard FileManager.default.isReadableFile(atPath: file.path) else {
                    _ = unreadable.record(file, nil)
                    continue
                }
                misnamed += NamesNotUTF8.in(file)
            }
            guard
                audioExtensions.contains(file.pathExtension.lowercased()),
                (try? file.resolvingSymlinksInPath().resourceValues(forKeys: [.isRegularFileKey]).isRegularFile)
                    == true
            else { continue }
            let relative =
                file.path.hasPrefix(url.path + "/")
                ? String(file.path.dropFirst(url.path.count + 1)) : file.lastPathComponent
            found.append((file.path, relative))
        }
        problems += unreadable.folders.sorted().map {
            AudioError(.fileNotFound, path: $0, "is a folder that cannot be read; its files were not encoded")
        }
        problems += misnamed.sorted { ($0.path ?? "") < ($1.path ?? "") }
        return found.sorted { $0.0 < $1.0 }
    }
}

/// What a folder holds under names that are not valid UTF-8 (Latin-1 names from an old recorder, say), which
/// Foundation's enumerator leaves out without a word: each audio file and folder among them is named, its bytes
/// shown, so that `encode` reports it rather than skipping it.
private enum NamesNotUTF8 {
    static func `in`(_ folder: URL) -> [AudioError] {
        guard let directory = opendir(folder.path) else { return [] }
        defer { closedir(directory) }
        var problems: [AudioError] = []
        while let entry = readdir(directory) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            guard bytes.first != UInt8(ascii: "."), String(validating: bytes, as: UTF8.self) == nil else { continue }
            let path = folder.path + "/" + PrintableText.showing(bytes: bytes)
            if entry.pointee.d_type == UInt8(DT_DIR) {
                problems.append(
                    AudioError(
                        .fileNotFound, path: path,
                        "is a folder whose name is not valid UTF-8; "
                            + "its files were not encoded (rename it to a UTF-8 name)"))
            } else if BatchPlan.audioExtensions.contains(URL(fileURLWithPath: path).pathExtension.lowercased()) {
                problems.append(
                    AudioError(
                        .fileNotFound, path: path,
                        "has a name that is not valid UTF-8 and was "
                            + "not encoded (rename it to a UTF-8 name)"))
            }
        }
        return problems
    }
}

/// The folders a walk could not read, as the enumerator reports them.
private final class UnreadableFolders {
    private(set) var folders: Set<String> = []

    func record(_ url: URL, _ error: (any Error)?) -> Bool {
        folders.insert(url.path)
        return true
    }
}
