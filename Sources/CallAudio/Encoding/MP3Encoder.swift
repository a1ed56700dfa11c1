import AudioCore
import CLame
import Foundation

/// Encodes a stream to MP3 with LAME: constant or variable bit rate, an ID3v2 tag, and a Xing/LAME info frame
/// at the start so that players show the exact duration and seek to the right place.
///
/// The info frame and the tag's exact length (TLEN) are known only once the stream ends, so the audio frames
/// are streamed to a scratch file and the finished MP3 is assembled, tag and info frame first, under a
/// temporary name that is renamed into place.
public final class MP3Encoder: AudioSink {
    /// The sample rates MPEG audio layer III defines; LAME resamples anything else, which we never want.
    public static let sampleRates: Set<Int> = [8_000, 11_025, 12_000, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000]

    /// The highest MPEG-2 rate; the MPEG-1 rates above it have frames twice as long.
    static let highestMPEG2Rate = 24_000
    /// The lowest constant bit rate whose MPEG-1 frames hold LAME's info frame.
    public static let minimumMPEG1Kbps = 64

    /// Whether a constant-bit-rate MP3 at this rate can carry the info frame that makes it seek-exact.
    public static func canHoldInfoFrame(sampleRate: Int, constantKbps: Int) -> Bool {
        sampleRate <= highestMPEG2Rate || constantKbps >= minimumMPEG1Kbps
    }

    private let lame: OpaquePointer
    private let format: AudioFormat
    private let tags: Tags
    private let output: TemporaryOutput
    private let frames: TemporaryOutput
    private let framesHandle: FileHandle
    private var buffer: [UInt8]
    private var framesEncoded = 0

    public init(path: String, format: AudioFormat, encoding: Encoding, tags: Tags) throws(AudioError) {
        guard Self.sampleRates.contains(format.sampleRate) else {
            throw AudioError(.invalidRecipe, path: path, "MP3 cannot store \(format.sampleRate) Hz audio")
        }
        guard format.channelCount <= 2 else {
            throw AudioError(
                .invalidRecipe, path: path, "MP3 stores mono or stereo, not \(format.channelCount) channels")
        }
        guard let lame = lame_init() else { throw AudioError(.encodeFailed, path: path, "LAME could not start") }
        self.lame = lame
        self.format = format
        self.tags = tags
        self.buffer = []
        output = try TemporaryOutput(finalPath: path)
        frames = try TemporaryOutput(finalPath: path, purpose: "frames")
        guard let handle = frames.create() else {
            throw AudioError(.writeFailed, path: path, "cannot create a scratch file beside it")
        }
        framesHandle = handle
        try configure(encoding: encoding, path: path)
    }

    deinit { lame_close(lame) }

    private func configure(encoding: Encoding, path: String) throws(AudioError) {
        lame_set_num_channels(lame, Int32(format.channelCount))
        lame_set_in_samplerate(lame, Int32(format.sampleRate))
        lame_set_out_samplerate(lame, Int32(format.sampleRate))
        lame_set_mode(lame, format.channelCount == 1 ? MONO : JOINT_STEREO)
        lame_set_quality(lame, 5)
        if let quality = encoding.vbrQuality {
            lame_set_VBR(lame, vbr_default)
            lame_set_VBR_quality(lame, Float(quality))
        } else {
            let kbps = Int32(encoding.bitrate ?? Encoding.defaultBitrate(channelCount: format.channelCount))
            guard Self.canHoldInfoFrame(sampleRate: format.sampleRate, constantKbps: Int(kbps)) else {
                throw AudioError(
                    .invalidRecipe, path: path,
                    "a constant \(kbps) kbit/s MP3 at \(format.sampleRate) Hz cannot be seek-exact; use at least \(Self.minimumMPEG1Kbps) kbit/s or a rate of 24000 Hz or less"
                )
            }
            if format.sampleRate <= Self.highestMPEG2Rate {
                // ABR pinned to one rate: every audio frame has the chosen size, and LAME keeps the info frame,
                // which it silently drops in true CBR when a frame is too small to hold it (144 bytes at
                // 32 kbit/s and 16 kHz). At the MPEG-1 rates LAME's ABR loop asserts at low rates, so those
                // use true CBR at rates whose frames hold the info frame.
                lame_set_VBR(lame, vbr_abr)
                lame_set_VBR_mean_bitrate_kbps(lame, kbps)
                lame_set_VBR_min_bitrate_kbps(lame, kbps)
                lame_set_VBR_max_bitrate_kbps(lame, kbps)
                lame_set_VBR_hard_min(lame, 1)
            } else {
                lame_set_VBR(lame, vbr_off)
                lame_set_brate(lame, kbps)
            }
        }
        lame_set_bWriteVbrTag(lame, 1)
        lame_set_write_id3tag_automatic(lame, 0)
        id3tag_init(lame)
        id3tag_v2_only(lame)
        guard lame_init_params(lame) >= 0 else {
            throw AudioError(.invalidRecipe, path: path, "LAME rejected the settings (\(format), \(encoding))")
        }
    }

    public func write(_ chunk: AudioChunk) throws {
        precondition(chunk.format == format, "the encoder was opened for \(format)")
        let frameCount = chunk.frameCount
        ensureBufferCapacity(for: frameCount)
        let bytes = chunk.samples.withUnsafeBufferPointer { pcm in
            buffer.withUnsafeMutableBufferPointer { out in
                format.channelCount == 1
                    ? lame_encode_buffer_ieee_float(
                        lame, pcm.baseAddress, pcm.baseAddress, Int32(frameCount), out.baseAddress, Int32(out.count))
                    : lame_encode_buffer_interleaved_ieee_float(
                        lame, pcm.baseAddress, Int32(frameCount), out.baseAddress, Int32(out.count))
            }
        }
        try appendFrames(bytes)
        framesEncoded += frameCount
    }

    public func finish() throws {
        ensureBufferCapacity(for: 0)
        let bytes = buffer.withUnsafeMutableBufferPointer { lame_encode_flush(lame, $0.baseAddress, Int32($0.count)) }
        try appendFrames(bytes)
        try framesHandle.close()
        try assemble()
        try output.commit()
    }

    /// Seconds of audio encoded so far.
    public var duration: Double { format.seconds(forFrames: framesEncoded) }

    /// Writes tag, info frame and audio frames (all but LAME's placeholder for the info frame) to the output.
    private func assemble() throws {
        let infoFrame = try lameTagFrame()
        let tag = id3Tag()
        guard let destination = output.create(), let source = FileHandle(forReadingAtPath: frames.temporaryPath)
        else { throw AudioError(.writeFailed, path: output.finalPath, "cannot write the finished MP3") }
        defer {
            try? destination.close()
            try? source.close()
        }
        try destination.write(contentsOf: tag + infoFrame)
        try source.seek(toOffset: UInt64(infoFrame.count))
        while let block = try source.read(upToCount: 1 << 16), !block.isEmpty {
            try destination.write(contentsOf: block)
        }
    }

    private func lameTagFrame() throws(AudioError) -> Data {
        var frame = [UInt8](repeating: 0, count: 2880)
        let size = lame_get_lametag_frame(lame, &frame, frame.count)
        guard size > 0, size <= frame.count else {
            throw AudioError(.encodeFailed, path: output.finalPath, "LAME produced no info frame")
        }
        return Data(frame[0..<size])
    }

    /// The ID3v2 tag, with the exact duration now that the stream has ended.
    private func id3Tag() -> Data {
        var fields: [(String, String?)] = [
            ("TIT2", tags.title), ("TPE1", tags.artist), ("COMM", tags.comment.map { "=\($0)" }),
            ("TYER", tags.date.map { String($0.prefix(4)) }), ("TXXX", tags.date.map { "RECORDING_DATE=\($0)" }),
            ("TXXX", tags.callID.map { "CALL_ID=\($0)" }),
            ("TLEN", String(Int((duration * 1000).rounded()))),
        ]
        if let roles = tags.legRoles, !roles.isEmpty {
            fields.append(("TXXX", "LEG_ROLES=\(roles.joined(separator: ","))"))
        }
        for case (let id, let value?) in fields {
            var utf16: [UInt16] = [0xFEFF] + Array("\(id)=\(value)".utf16) + [0]
            id3tag_set_fieldvalue_utf16(lame, &utf16)
        }
        let size = lame_get_id3v2_tag(lame, nil, 0)
        var tag = [UInt8](repeating: 0, count: size)
        let written = lame_get_id3v2_tag(lame, &tag, size)
        return Data(tag[0..<min(written, size)])
    }

    private func appendFrames(_ count: Int32) throws {
        guard count >= 0 else {
            throw AudioError(.encodeFailed, path: output.finalPath, "LAME failed with code \(count)")
        }
        guard count > 0 else { return }
        do {
            try framesHandle.write(contentsOf: buffer[0..<Int(count)])
        } catch {
            throw AudioError(.writeFailed, path: output.finalPath, "cannot write (\(error.localizedDescription))")
        }
    }

    /// LAME's documented worst case: 1.25 bytes per sample plus 7200.
    private func ensureBufferCapacity(for frames: Int) {
        let needed = frames * 5 / 4 + 7200
        if buffer.count < needed { buffer = [UInt8](repeating: 0, count: needed) }
    }
}
