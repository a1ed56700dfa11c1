import AudioCore
import CSndFile
import Foundation

/// Decodes an audio file of any format libsndfile reads (PCM and float WAV, G.711 mu-law and A-law WAV, FLAC,
/// Ogg/Vorbis, Ogg/Opus, MP3, ...) into chunks of Float32 frames at the file's own rate and channel count.
///
/// Opening validates the file, so a bad input fails before any output exists. A file that ends before its
/// header says it should (a truncated upload) is decoded as far as it goes and reported as partial. Decoded
/// samples are sanitised (see `SampleSanitizer`) and the repairs counted in `repairedSamples`.
public final class FileDecoder: AudioSource {
    /// Frames per chunk: a quarter second at 16 kHz, small enough that memory never depends on file length.
    public static let chunkFrames = 4096
    static let supportedSampleRates = 1_000...768_000
    static let maximumChannels = 8

    public let path: String
    /// The format of the decoded chunks (for Opus, possibly a rate asked for rather than the file's).
    public let format: AudioFormat
    /// The rate the file itself is stored at.
    public let fileSampleRate: Int
    /// The container and encoding, e.g. "WAV (Microsoft) / U-Law".
    public let formatName: String
    /// Frames the header promises, when it says (a stream without an end marker does not).
    public let declaredFrames: Int?
    public private(set) var decodedFrames = 0
    /// Samples that were NaN, infinite or beyond full scale and were replaced by 0 or clipped to ±1.
    public var repairedSamples: Int { sanitizer.repairedSamples }
    private var sanitizer = SampleSanitizer()
    private let file: SoundFile
    private let headerSaysTruncated: Bool
    private var ended = false

    /// The rates libopus decodes at natively; asking for one of them saves decoding at 48 kHz and resampling.
    static let opusDecodeRates: Set<Int> = [8_000, 12_000, 16_000, 24_000, 48_000]

    /// Opens and validates `path`. `preferredSampleRate` is a hint: codecs that can decode at that rate
    /// directly (Opus) do so, which is cheaper than decoding at their own rate and resampling.
    public init(path: String, preferredSampleRate: Int? = nil) throws(AudioError) {
        try Self.checkExists(path)
        let file = try SoundFile(reading: path)
        let fileSampleRate = Int(file.info.samplerate)
        if let rate = preferredSampleRate, Self.opusDecodeRates.contains(rate) { file.decodeOpus(at: rate) }
        let info = file.info
        guard Self.supportedSampleRates.contains(Int(info.samplerate)) else {
            throw AudioError(.unsupportedFormat, path: path, "absurd sample rate \(info.samplerate) Hz in the header")
        }
        guard (1...Self.maximumChannels).contains(Int(info.channels)) else {
            throw AudioError(.unsupportedFormat, path: path, "unsupported channel count \(info.channels) in the header")
        }
        guard info.frames > 0 else {
            throw AudioError(.noAudio, path: path, "holds no audio (a header with 0 frames)")
        }
        self.path = path
        self.file = file
        self.fileSampleRate = fileSampleRate
        self.format = AudioFormat(sampleRate: Int(info.samplerate), channelCount: Int(info.channels))
        self.formatName = file.formatName
        self.declaredFrames = info.frames == sf_count_t.max ? nil : Int(info.frames)
        // libsndfile logs a cut-off data chunk as "data : 29174 (should be 14942)"; an Ogg stream cut at a page
        // boundary shows only in its last page, which lacks the end-of-stream flag.
        self.headerSaysTruncated =
            file.log.contains("(should be ") || (file.isOgg && !OggEndOfStream.isMarked(in: path))
    }

    /// True when the file ended before its header said it would; only meaningful once the stream has ended.
    public var isPartial: Bool {
        headerSaysTruncated || declaredFrames.map { decodedFrames < $0 } ?? true
    }

    public var decodedDuration: Double { format.seconds(forFrames: decodedFrames) }

    public func read() throws -> AudioChunk? {
        guard !ended else { return nil }
        var samples = [Float](repeating: 0, count: Self.chunkFrames * format.channelCount)
        let frames = samples.withUnsafeMutableBufferPointer {
            Int(sf_readf_float(file.handle, $0.baseAddress, sf_count_t(Self.chunkFrames)))
        }
        if frames < Self.chunkFrames {
            ended = true
            if decodedFrames + frames == 0 {
                let reason = file.lastError.map { " (\($0))" } ?? ""
                throw AudioError(.decodeFailed, path: path, "no audio could be decoded\(reason)")
            }
        }
        guard frames > 0 else { return nil }
        decodedFrames += frames
        samples.removeLast((Self.chunkFrames - frames) * format.channelCount)
        sanitizer.sanitize(&samples)
        return AudioChunk(format: format, samples: samples)
    }

    private static func checkExists(_ path: String) throws(AudioError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw AudioError(.fileNotFound, path: path, "no such file")
        }
        guard !isDirectory.boolValue else {
            throw AudioError(.unsupportedFormat, path: path, "is a folder, not an audio file")
        }
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            throw AudioError(.unsupportedFormat, path: path, "is not a regular file (a pipe, device or socket)")
        }
        if status.st_size == 0 { throw AudioError(.noAudio, path: path, "is empty (0 bytes)") }
    }
}
