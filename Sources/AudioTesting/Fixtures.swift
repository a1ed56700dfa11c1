import AudioCore
import CSndFile
import Foundation
import Synchronization

/// Writes test fixtures in any format libsndfile writes, and makes scratch folders.
public enum Fixtures {
    /// The file formats the decoder must read, as libsndfile format codes.
    public enum FileFormat: String, CaseIterable, Sendable {
        case pcm8, pcm16, pcm24, pcm32, float32, mulaw, alaw, flac, vorbis, opus, mp3

        var code: Int32 { Int32(formatBits) }

        private var formatBits: Int {
            switch self {
            case .pcm8: SF_FORMAT_WAV | SF_FORMAT_PCM_U8
            case .pcm16: SF_FORMAT_WAV | SF_FORMAT_PCM_16
            case .pcm24: SF_FORMAT_WAV | SF_FORMAT_PCM_24
            case .pcm32: SF_FORMAT_WAV | SF_FORMAT_PCM_32
            case .float32: SF_FORMAT_WAV | SF_FORMAT_FLOAT
            case .mulaw: SF_FORMAT_WAV | SF_FORMAT_ULAW
            case .alaw: SF_FORMAT_WAV | SF_FORMAT_ALAW
            case .flac: SF_FORMAT_FLAC | SF_FORMAT_PCM_16
            case .vorbis: SF_FORMAT_OGG | SF_FORMAT_VORBIS
            case .opus: SF_FORMAT_OGG | SF_FORMAT_OPUS
            case .mp3: SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III
            }
        }

        public var fileExtension: String {
            switch self {
            case .flac: "flac"
            case .vorbis: "ogg"
            case .opus: "opus"
            case .mp3: "mp3"
            default: "wav"
            }
        }

        /// Whether the codec keeps the waveform only approximately.
        public var isLossy: Bool { [.vorbis, .opus, .mp3].contains(self) }
    }

    /// The package's root folder (where Package.swift is), for tests that read its samples, scripts and docs.
    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// A new empty folder under the system's temporary folder. Prefer `withScratchFolder`, which removes it at
    /// once; a folder that lives as long as a fixture (a capture, a service) is removed when the test process
    /// exits, if nothing removed it before.
    public static func scratchFolder(_ name: String = "callaudio-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        ScratchFolders.shared.add(url)
        return url
    }

    /// Writes `audio` to `url` in `format`.
    public static func write(_ audio: AudioChunk, to url: URL, as format: FileFormat) throws {
        var info = SF_INFO()
        info.format = format.code
        info.samplerate = Int32(audio.format.sampleRate)
        info.channels = Int32(audio.format.channelCount)
        guard let file = sf_open(url.path, Int32(SFM_WRITE), &info) else {
            throw FixtureError(message: "cannot write \(url.path) as \(format): \(String(cString: sf_strerror(nil)))")
        }
        defer { sf_close(file) }
        let written = audio.samples.withUnsafeBufferPointer {
            sf_writef_float(file, $0.baseAddress, sf_count_t(audio.frameCount))
        }
        guard written == audio.frameCount else { throw FixtureError(message: "short write to \(url.path)") }
    }

    /// Decodes a whole file with libsndfile, independently of the code under test.
    public static func read(_ url: URL) throws -> AudioChunk {
        var info = SF_INFO()
        guard let file = sf_open(url.path, Int32(SFM_READ), &info) else {
            throw FixtureError(message: "cannot read \(url.path): \(String(cString: sf_strerror(nil)))")
        }
        defer { sf_close(file) }
        var samples: [Float] = []
        var block = [Float](repeating: 0, count: 4096 * Int(info.channels))
        while true {
            let frames = block.withUnsafeMutableBufferPointer { sf_readf_float(file, $0.baseAddress, 4096) }
            guard frames > 0 else { break }
            samples += block[0..<(Int(frames) * Int(info.channels))]
        }
        return AudioChunk(
            format: AudioFormat(sampleRate: Int(info.samplerate), channelCount: Int(info.channels)), samples: samples)
    }

    public struct FixtureError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }

        public init(message: String) { self.message = message }
    }
}

/// Runs `body` with a new empty folder under the system's temporary folder, then removes the folder and
/// everything in it, however `body` ends: the one way tests make scratch space, so none is left behind.
public func withScratchFolder<T>(_ name: String = "callaudio-test", _ body: (URL) throws -> T) throws -> T {
    let folder = try Fixtures.scratchFolder(name)
    defer { Fixtures.removeScratchFolder(folder) }
    return try body(folder)
}

/// The same for an asynchronous `body`.
public func withScratchFolder<T>(_ name: String = "callaudio-test", _ body: (URL) async throws -> T) async throws
    -> T
{
    let folder = try Fixtures.scratchFolder(name)
    defer { Fixtures.removeScratchFolder(folder) }
    return try await body(folder)
}

extension Fixtures {
    /// Removes a scratch folder whole, first giving back the write permission a test may have taken from its
    /// folders (a read-only queue, an unreadable tree), so that nothing is left behind.
    public static func removeScratchFolder(_ folder: URL) {
        if let enumerator = FileManager.default.enumerator(atPath: folder.path) {
            while let path = enumerator.nextObject() as? String {
                _ = chmod(folder.appendingPathComponent(path).path, 0o755)
            }
        }
        _ = chmod(folder.path, 0o755)
        try? FileManager.default.removeItem(at: folder)
        ScratchFolders.shared.remove(folder)
    }
}

/// The scratch folders still in place, removed when the test process exits.
private final class ScratchFolders: Sendable {
    static let shared = ScratchFolders()

    private let folders = Mutex<Set<URL>>([])

    private init() {
        atexit { ScratchFolders.shared.removeAll() }
    }

    func add(_ folder: URL) { folders.withLock { _ = $0.insert(folder) } }

    func remove(_ folder: URL) { folders.withLock { _ = $0.remove(folder) } }

    private func removeAll() {
        for folder in folders.withLock({ $0 }) { Fixtures.removeScratchFolder(folder) }
    }
}
