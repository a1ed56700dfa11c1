import AudioCore
import CFFmpeg
import Foundation

/// Decodes the AAC audio of an MP4/M4A file (what iPhones record, and Safari's `MediaRecorder`), which
/// libsndfile cannot open: FFmpeg's MP4 demuxer hands out the first audio track's packets one at a time, its
/// AAC decoder decodes them, and libswresample interleaves them as Float32 at the rate and channel count of the
/// first decoded frame. The encoder's priming samples are dropped as the file's edit list asks.
///
/// Opening decodes the first frame, so a file with no decodable audio fails before any output exists. A
/// damaged packet is skipped and the leg reported partial; a file cut short before its index (the moov box,
/// which most encoders write last) cannot be read at all and fails with one line saying so, while one cut
/// after its index (a "fast start" or fragmented file) decodes as far as it goes and is partial.
public final class MP4AACDecoder: AudioSource {
    public let path: String
    /// The rate and channels of the decoded audio (for HE-AAC, the rate after SBR, twice the core's).
    public let format: AudioFormat
    /// "MP4 / AAC LC", "MP4 / AAC HE-AAC", ...: the profile the decoder found in the stream.
    public let formatName: String
    /// The rate the track says it was recorded at.
    public let fileSampleRate: Int
    /// Frames the track's index promises, at `format`'s rate, when it says (a fragmented file may not).
    public let declaredFrames: Int?
    public private(set) var decodedFrames = 0
    /// Packets that could not be decoded and were skipped.
    public var damagedPackets: Int { frames.damagedPackets }
    /// True when the file is cut short: its last box runs past its end, or a read failed short of the end.
    public var isTruncated: Bool { boxesAreCut || frames.isTruncated }
    /// AAC's float output may overshoot full scale (the codec does not clip): clipped here, as every
    /// decoder's output is.
    public var repairedSamples: Int { sanitizer.repairedSamples }

    private let frames: MP4AudioFrames
    private let boxesAreCut: Bool
    private let interleaver: FrameInterleaver
    private var sanitizer = SampleSanitizer()
    /// The first frame's samples, decoded when opening to learn the format.
    private var pending: [Float]?
    private var ended = false

    /// Opens `path`, finds its first audio track and decodes its first frame.
    /// - Throws: `unsupportedFormat` for a file that is not a readable MP4 (damaged, or cut before its index),
    ///   holds no audio track, or holds audio in another codec; `decodeFailed` when no frame decodes.
    public init(path: String) throws(AudioError) {
        let demuxer = try MP4Demuxer(path: path)
        let index = av_find_best_stream(demuxer.context, AVMEDIA_TYPE_AUDIO, -1, -1, nil, 0)
        guard index >= 0 else {
            throw AudioError(
                .noAudio, path: path,
                demuxer.hasVideo ? "is an MP4 video with no sound track" : "is an MP4 file with no audio track")
        }
        let stream = demuxer.stream(index)
        let parameters = stream.pointee.codecpar.pointee
        guard parameters.codec_id == AV_CODEC_ID_AAC else {
            let codec = String(cString: avcodec_get_name(parameters.codec_id))
            throw AudioError(
                .unsupportedFormat, path: path, "holds \(codec) audio; only AAC is read from MP4/M4A")
        }
        self.path = path
        let frames = try MP4AudioFrames(
            demuxer: demuxer, stream: index, decoder: FFmpegAudioDecoder(for: stream, path: path))
        self.frames = frames
        // The header's figures come from the file: absurd ones (a damaged or hostile file) must not trap.
        fileSampleRate = (1...768_000).contains(parameters.sample_rate) ? Int(parameters.sample_rate) : 0

        guard let first = frames.next() else {
            let damaged = frames.isTruncated || frames.damagedPackets > 0
            let reason = damaged ? " (damaged)" : " (an audio track with no frames)"
            throw AudioError(.decodeFailed, path: path, "no audio could be decoded\(reason)")
        }
        let rate = Int(first.pointee.sample_rate)
        let channels = Int(first.pointee.ch_layout.nb_channels)
        guard FileDecoder.supportedSampleRates.contains(rate) else {
            throw AudioError(.unsupportedFormat, path: path, "absurd sample rate \(rate) Hz in its audio")
        }
        guard (1...FileDecoder.maximumChannels).contains(channels) else {
            throw AudioError(.unsupportedFormat, path: path, "unsupported channel count \(channels) in its audio")
        }
        formatName = "MP4 / AAC" + (frames.decoder.profileName.map { " " + $0 } ?? "")
        interleaver = FrameInterleaver(like: first, path: path)
        format = interleaver.format
        declaredFrames = Self.declaredFrames(of: stream, at: rate)
        boxesAreCut = MP4Boxes(path: path).isCut
        pending = try interleaver.interleave(first)
    }

    /// True when the file was cut short, damaged, or ended before its index said it would; only meaningful
    /// once the stream has ended. A file's last frame may be shorter than its index says (padding), hence
    /// the one AAC frame (at most 2,048 samples with SBR) of leeway.
    public var isPartial: Bool {
        isTruncated || damagedPackets > 0 || declaredFrames.map { decodedFrames + 2_048 < $0 } ?? false
    }

    public var decodedDuration: Double { format.seconds(forFrames: decodedFrames) }

    public func read() throws -> AudioChunk? {
        while !ended {
            var samples: [Float]
            if let first = pending {
                pending = nil
                samples = first
            } else if let frame = frames.next() {
                samples = try interleaver.interleave(frame)
            } else {
                ended = true
                samples = interleaver.flush()
            }
            guard !samples.isEmpty else { continue }
            sanitizer.sanitize(&samples)
            let chunk = AudioChunk(format: format, samples: samples)
            decodedFrames += chunk.frameCount
            return chunk
        }
        return nil
    }

    /// The track's duration from its index, in frames at `rate`; nil when it does not say.
    private static func declaredFrames(of stream: UnsafeMutablePointer<AVStream>, at rate: Int) -> Int? {
        let duration = stream.pointee.duration
        let base = stream.pointee.time_base
        guard duration > 0, duration != Int64.min, base.num > 0, base.den > 0 else { return nil }
        let frames = av_rescale_q(duration, base, AVRational(num: 1, den: Int32(rate)))
        return frames > 0 && frames < Int64(Int32.max) * 64 ? Int(frames) : nil
    }

    /// True when the file at `path` starts with an MP4 `ftyp` box (M4A, MP4, and their kin: 3GP, HEIC images).
    public static func recognizes(_ path: String) -> Bool { FileMagic.isMP4(path) }
}

/// The decoded frames of one audio stream of an MP4 file: packets read from the demuxer as the decoder asks
/// for them, those of other streams passed over. A packet that fails to decode is counted and skipped; a read
/// that fails short of the end (a file cut after its index) ends the stream and marks it truncated.
final class MP4AudioFrames {
    private let demuxer: MP4Demuxer
    private let stream: Int32
    let decoder: FFmpegAudioDecoder
    private(set) var damagedPackets = 0
    private(set) var isTruncated = false
    private var fileEnded = false

    init(demuxer: MP4Demuxer, stream: Int32, decoder: FFmpegAudioDecoder) {
        self.demuxer = demuxer
        self.stream = stream
        self.decoder = decoder
    }

    /// The next decoded frame (valid until the next call); nil once the file has ended and the decoder is drained.
    func next() -> UnsafeMutablePointer<AVFrame>? {
        let (again, endOfFile) = (callaudio_averror_again(), callaudio_averror_eof())
        while true {
            let received = avcodec_receive_frame(decoder.context, decoder.frame)
            if received == 0 { return decoder.frame }
            if received == endOfFile { return nil }
            // Any other failure is a frame that did not decode: the decoder goes on with the next packet.
            if received != again { damagedPackets += 1 }
            if fileEnded {
                // Draining: a decoder that fails once the file has ended has no more frames to give.
                guard received == again else { return nil }
                continue
            }
            let packet = demuxer.packet
            let read = av_read_frame(demuxer.context, packet)
            if read < 0 {
                // The end, or a packet the index places beyond what the file holds (cut short).
                if read != endOfFile { isTruncated = true }
                fileEnded = true
                avcodec_send_packet(decoder.context, nil)
                continue
            }
            defer { av_packet_unref(packet) }
            guard packet.pointee.stream_index == stream else { continue }
            if packet.pointee.flags & AV_PKT_FLAG_CORRUPT != 0 { isTruncated = true }
            let sent = avcodec_send_packet(decoder.context, packet)
            if sent < 0 && sent != again && sent != endOfFile { damagedPackets += 1 }
        }
    }
}

/// The top-level boxes of an MP4 file, read apart from libavformat: to say why it could not open a file, and to
/// tell a file cut short from a whole one (its last box claims more bytes than the file holds).
struct MP4Boxes {
    /// The types of the top-level boxes, as far as their sizes chain.
    var types: Set<String> = []
    /// True when the last box runs past the end of the file.
    var isCut = false

    /// Walks the boxes of the file at `path`: a seek and a 16-byte read each, at most `limit` of them (a
    /// fragmented recording of an hour has a few thousand).
    init(path: String, limit: Int = 100_000) {
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        guard let fileSize = try? handle.seekToEnd() else { return }
        var offset: UInt64 = 0
        for _ in 0..<limit where offset < fileSize {
            guard (try? handle.seek(toOffset: offset)) != nil,
                let header = try? handle.read(upToCount: 16), header.count >= 8
            else {
                isCut = true
                return
            }
            let bytes = [UInt8](header)
            var size = bytes[0..<4].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            if size == 1 {
                guard bytes.count == 16 else {
                    isCut = true
                    return
                }
                size = bytes[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            }
            types.insert(String(decoding: bytes[4..<8], as: UTF8.self))
            guard size != 0 else { return }  // to the end of the file
            let (next, overflow) = offset.addingReportingOverflow(size)
            guard size >= 8, !overflow else { return }  // not a box: damage, not a cut
            if next > fileSize { isCut = true }
            offset = next
        }
    }

    /// The reason an MP4 file could not be opened: cut short before its index, or damaged.
    static func openFailure(_ path: String, reason: String) -> String {
        let boxes = MP4Boxes(path: path)
        if boxes.types.contains("mdat") && !boxes.types.contains("moov") && !boxes.types.contains("moof") {
            return "is cut short or unfinished: its audio is there, but not its index (the moov box, written "
                + "when a recording ends), so none of it can be read"
        }
        return "is not a readable MP4/M4A file (\(reason.lowercased()))"
    }
}
