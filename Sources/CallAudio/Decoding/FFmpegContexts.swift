import AudioCore
import CFFmpeg

/// FFmpeg's process-wide settings, made once before the first file is opened.
enum FFmpegSettings {
    /// The largest single allocation FFmpeg may make. A damaged or hostile index can claim billions of samples,
    /// and a 1.2 kB file made libavformat allocate 560 MB for it (found by the fuzzer); a genuine one needs 24
    /// bytes per AAC frame, so a day of 48 kHz audio fits in about 100 MB.
    static let largestAllocation = 128 << 20

    /// The log silenced (by default libavformat and libavcodec print notes and errors on standard error, such as
    /// "moov atom not found": unprefixed lines that a damaged file scatters over a command's output; failures
    /// reach us through return values instead), and allocations capped.
    static let applied: Void = {
        av_log_set_level(AV_LOG_QUIET)
        av_max_alloc(largestAllocation)
    }()
}

/// FFmpeg's text for one of its error codes.
func ffmpegErrorText(_ code: Int32) -> String {
    var buffer = [CChar](repeating: 0, count: 128)
    guard av_strerror(code, &buffer, buffer.count) == 0 else { return "error \(code)" }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// One MP4 file opened by libavformat's MP4 demuxer alone, and the packet it reads into; both freed when this
/// object goes away. The file is read through libavformat's own small buffer: only the index (the moov box) is
/// held in memory, not the audio.
final class MP4Demuxer {
    let context: UnsafeMutablePointer<AVFormatContext>
    let packet: UnsafeMutablePointer<AVPacket>

    /// Opens `path` as MP4 whatever its content says, through the `file` protocol only (a path with a colon is
    /// still a file name), with AAC the only codec it may hand out.
    init(path: String) throws(AudioError) {
        _ = FFmpegSettings.applied
        guard let packet = av_packet_alloc() else { throw AudioError(.decodeFailed, path: path, "out of memory") }
        var options: OpaquePointer? = nil
        av_dict_set(&options, "protocol_whitelist", "file", 0)
        av_dict_set(&options, "codec_whitelist", "aac", 0)
        defer { av_dict_free(&options) }
        var context: UnsafeMutablePointer<AVFormatContext>? = nil
        let opened = avformat_open_input(&context, "file:" + path, av_find_input_format("mov"), &options)
        guard opened == 0, let context else {
            var packet: UnsafeMutablePointer<AVPacket>? = packet
            av_packet_free(&packet)
            let reason =
                opened == callaudio_averror_out_of_memory()
                ? "damaged: its index claims more samples than a recording could hold"
                : ffmpegErrorText(opened)
            throw AudioError(.unsupportedFormat, path: path, MP4Boxes.openFailure(path, reason: reason))
        }
        self.context = context
        self.packet = packet
    }

    deinit {
        var context: UnsafeMutablePointer<AVFormatContext>? = context
        avformat_close_input(&context)
        var packet: UnsafeMutablePointer<AVPacket>? = packet
        av_packet_free(&packet)
    }

    /// The stream at `index`.
    func stream(_ index: Int32) -> UnsafeMutablePointer<AVStream> { context.pointee.streams[Int(index)]! }

    /// True when the file holds a video stream (an MP4 film with no sound, told apart from a damaged file).
    var hasVideo: Bool {
        (0..<Int32(context.pointee.nb_streams)).contains {
            stream($0).pointee.codecpar.pointee.codec_type == AVMEDIA_TYPE_VIDEO
        }
    }
}

/// One libavcodec decoder and the frame it decodes into, freed when this object goes away.
final class FFmpegAudioDecoder {
    let context: UnsafeMutablePointer<AVCodecContext>
    let frame: UnsafeMutablePointer<AVFrame>

    /// Opens the decoder for `stream`'s codec with its parameters (for AAC, the AudioSpecificConfig).
    init(for stream: UnsafeMutablePointer<AVStream>, path: String) throws(AudioError) {
        let parameters = stream.pointee.codecpar!
        guard let codec = avcodec_find_decoder(parameters.pointee.codec_id),
            let context = avcodec_alloc_context3(codec)
        else { throw AudioError(.unsupportedFormat, path: path, "no decoder for its audio") }
        guard let frame = av_frame_alloc() else {
            var context: UnsafeMutablePointer<AVCodecContext>? = context
            avcodec_free_context(&context)
            throw AudioError(.decodeFailed, path: path, "out of memory")
        }
        self.context = context
        self.frame = frame
        var result = avcodec_parameters_to_context(context, parameters)
        if result >= 0 { result = avcodec_open2(context, codec, nil) }
        guard result >= 0 else {
            throw AudioError(.unsupportedFormat, path: path, "its audio cannot be decoded (\(ffmpegErrorText(result)))")
        }
    }

    /// The codec's profile as FFmpeg names it ("LC", "HE-AAC", ...), once a frame has been decoded.
    var profileName: String? {
        avcodec_profile_name(context.pointee.codec_id, context.pointee.profile).map { String(cString: $0) }
    }

    deinit {
        var frame: UnsafeMutablePointer<AVFrame>? = frame
        av_frame_free(&frame)
        var context: UnsafeMutablePointer<AVCodecContext>? = context
        avcodec_free_context(&context)
    }
}

/// libswresample turning decoded frames (AAC's planar float) into interleaved Float32 in one fixed format: the
/// first frame's rate and channels. A later frame in another rate or layout (an AAC stream may switch) is
/// converted to it. Freed when this object goes away.
final class FrameInterleaver {
    let format: AudioFormat
    private let path: String
    private var converter: OpaquePointer?
    private var output = AVChannelLayout()
    /// What the converter was set up for: sample format, rate and channel layout of the input.
    private var configured: (format: Int32, rate: Int32, layout: AVChannelLayout)?

    /// Set up for frames like `first`; its layout becomes the output's.
    init(like first: UnsafeMutablePointer<AVFrame>, path: String) {
        self.path = path
        format = AudioFormat(
            sampleRate: Int(first.pointee.sample_rate), channelCount: Int(first.pointee.ch_layout.nb_channels))
        av_channel_layout_default(&output, Int32(format.channelCount))
    }

    deinit {
        unconfigure()
        av_channel_layout_uninit(&output)
    }

    /// Frees the converter and the copy of the layout it was made for.
    private func unconfigure() {
        swr_free(&converter)
        if var layout = configured?.layout { av_channel_layout_uninit(&layout) }
        configured = nil
    }

    /// The frame's samples as interleaved Float32 in `format` (with those a rate change held back, if any).
    func interleave(_ frame: UnsafeMutablePointer<AVFrame>) throws(AudioError) -> [Float] {
        try configure(for: frame)
        let planes = UnsafeMutableRawPointer(frame.pointee.extended_data)?.assumingMemoryBound(
            to: UnsafePointer<UInt8>?.self)
        return convert(planes, count: frame.pointee.nb_samples)
    }

    /// What the converter still holds at the end (only after a rate change).
    func flush() -> [Float] { converter == nil ? [] : convert(nil, count: 0) }

    private func convert(_ input: UnsafeMutablePointer<UnsafePointer<UInt8>?>?, count: Int32) -> [Float] {
        let capacity = Int(swr_get_out_samples(converter, count))
        guard capacity > 0 else { return [] }
        var samples = [Float](repeating: 0, count: capacity * format.channelCount)
        let frames = samples.withUnsafeMutableBytes { bytes in
            var planes: [UnsafeMutablePointer<UInt8>?] = [bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)]
            return swr_convert(converter, &planes, Int32(capacity), input, count)
        }
        guard frames > 0 else { return [] }
        samples.removeLast((capacity - Int(frames)) * format.channelCount)
        return samples
    }

    /// A converter for the frame's format, rate and layout, made again when they change.
    private func configure(for frame: UnsafeMutablePointer<AVFrame>) throws(AudioError) {
        let (sampleFormat, rate) = (frame.pointee.format, frame.pointee.sample_rate)
        if var current = configured, current.format == sampleFormat, current.rate == rate,
            av_channel_layout_compare(&current.layout, &frame.pointee.ch_layout) == 0
        {
            return
        }
        unconfigure()
        var layout = AVChannelLayout()
        av_channel_layout_copy(&layout, &frame.pointee.ch_layout)
        configured = (sampleFormat, rate, layout)
        let made = swr_alloc_set_opts2(
            &converter, &output, AV_SAMPLE_FMT_FLT, Int32(format.sampleRate), &layout,
            AVSampleFormat(rawValue: sampleFormat), rate, 0, nil)
        guard made >= 0, swr_init(converter) >= 0 else {
            unconfigure()
            throw AudioError(
                .decodeFailed, path: path,
                "cannot convert \(layout.nb_channels) channel(s) at \(rate) Hz to \(format.channelCount) at "
                    + "\(format.sampleRate) Hz")
        }
    }
}
