import AudioCore
import CWebM
import Foundation

/// Decodes the Opus audio of a WebM file, as browsers record it (`MediaRecorder` in Chrome and Firefox), which
/// libsndfile cannot open: libwebm hands out the audio track's frames one at a time and libopus decodes them at
/// the rate the pipeline wants. The encoder's pre-skip (OpusHead, or the track's CodecDelay) is dropped from
/// the start, as the Opus specification asks.
public final class WebMOpusDecoder: AudioSource {
    public let path: String
    public let format: AudioFormat
    public let formatName: String
    /// The rate the track says it was recorded at.
    public let fileSampleRate: Int
    public private(set) var decodedFrames = 0
    /// True once the file turned out to end inside an element.
    public private(set) var isTruncated = false

    private let webm: OpaquePointer
    private let opus: OpusPacketDecoder
    private var framesToSkip: Int
    private var frame = [UInt8](repeating: 0, count: 1 << 16)
    private var errorText = [CChar](repeating: 0, count: 256)
    private var ended = false
    /// libopus's float output may overshoot full scale a little (the codec does not clip): clipped here, as
    /// every decoder's output is.
    private var sanitizer = SampleSanitizer()
    /// Samples beyond full scale, clipped.
    public var repairedSamples: Int { sanitizer.repairedSamples }

    /// Opens `path` and its first audio track. `preferredSampleRate` is the rate to decode at when libopus
    /// can (8, 12, 16, 24 or 48 kHz); 48 kHz otherwise.
    /// - Throws: `unsupportedFormat` for a WebM file that is damaged, holds no audio, or holds another codec.
    public init(path: String, preferredSampleRate: Int? = nil) throws(AudioError) {
        var track = callaudio_webm_track()
        var error = [CChar](repeating: 0, count: 256)
        guard let webm = callaudio_webm_open(path, &track, &error, error.count) else {
            throw AudioError(.unsupportedFormat, path: path, "is not a readable WebM file (\(Self.text(error)))")
        }
        let codec = withUnsafeBytes(of: track.codec_id) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        guard codec == "A_OPUS" else {
            callaudio_webm_close(webm)
            throw AudioError(
                .unsupportedFormat, path: path, "holds \(codec) audio; only Opus is read from WebM (record as Opus)")
        }
        let rate = preferredSampleRate.flatMap { OpusPacketDecoder.supportedSampleRates.contains($0) ? $0 : nil }
        do {
            opus = try OpusPacketDecoder(
                sampleRate: rate ?? 48_000, channelCount: min(2, max(1, Int(clamping: track.channels))))
        } catch {
            callaudio_webm_close(webm)
            throw error
        }
        self.webm = webm
        self.path = path
        self.format = opus.format
        // The header's figures come from the file: absurd ones (a damaged or hostile file) must not trap. Opus
        // is 48 kHz inside whatever the header says, and its pre-skip is milliseconds.
        let declaredRate = track.sampling_frequency
        self.fileSampleRate = (1...768_000).contains(declaredRate) ? Int(declaredRate) : 48_000
        self.formatName = "WebM / Opus"
        let preSkipAt48k = Self.preSkip(track) ?? Int(min(track.codec_delay_ns, 1_000_000_000) * 48 / 1_000_000)
        framesToSkip = preSkipAt48k * format.sampleRate / 48_000
    }

    deinit { callaudio_webm_close(webm) }

    public func read() throws -> AudioChunk? {
        while !ended {
            let size = callaudio_webm_next_frame(webm, &frame, frame.count, &errorText, errorText.count)
            switch size {
            case 0:
                ended = true
            case -2:
                throw AudioError(.decodeFailed, path: path, "an audio frame is larger than Opus allows (damaged)")
            case ..<0:
                ended = true
                isTruncated = true
                guard decodedFrames > 0 else {
                    throw AudioError(.decodeFailed, path: path, "no audio could be decoded (\(Self.text(errorText)))")
                }
            default:
                let packet: [UInt8] = Array(frame.prefix(upTo: Int(size)))
                var chunk: AudioChunk = try opus.decode(packet)
                if framesToSkip > 0 {
                    let skipped = min(framesToSkip, chunk.frameCount)
                    framesToSkip -= skipped
                    chunk = AudioChunk(
                        format: format, samples: Array(chunk.samples.dropFirst(skipped * format.channelCount)))
                }
                guard !chunk.isEmpty else { continue }
                decodedFrames += chunk.frameCount
                sanitizer.sanitize(&chunk.samples)
                return chunk
            }
        }
        if decodedFrames == 0 {
            throw AudioError(.noAudio, path: path, "holds no audio (an audio track with no frames)")
        }
        return nil
    }

    /// A C string the shim filled.
    private static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The pre-skip of an OpusHead in the track's CodecPrivate, in 48 kHz samples.
    private static func preSkip(_ track: callaudio_webm_track) -> Int? {
        guard track.codec_private_size >= 19 else { return nil }
        let head = withUnsafeBytes(of: track.codec_private) { Array($0.prefix(19)) }
        guard head.prefix(8).elementsEqual("OpusHead".utf8) else { return nil }
        return Int(head[10]) | Int(head[11]) << 8
    }

    /// True when the file at `path` starts with the EBML magic of WebM and Matroska.
    public static func recognizes(_ path: String) -> Bool {
        FileMagic.prefix(of: path, count: 4) == [0x1A, 0x45, 0xDF, 0xA3]
    }
}

/// The first bytes of a file, to tell containers apart before choosing a decoder.
enum FileMagic {
    static func prefix(of path: String, count: Int) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        return [UInt8]((try? handle.read(upToCount: count)) ?? Data())
    }

    /// True for an MP4/M4A file (`ftyp` box first), which `MP4AACDecoder` reads.
    static func isMP4(_ path: String) -> Bool {
        prefix(of: path, count: 8).dropFirst(4).elementsEqual("ftyp".utf8)
    }
}
