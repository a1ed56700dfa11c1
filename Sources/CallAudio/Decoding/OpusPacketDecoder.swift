import AudioCore
import COpus

/// Decodes raw Opus packets (as RTP or a WebM/Matroska block carries them, with no Ogg framing) with libopus,
/// and fills the gaps that lost packets leave: from the next packet's in-band forward error correction when it
/// has some, otherwise by libopus's packet-loss concealment.
///
/// libopus decodes any packet at any of its rates, so the decoder runs at the rate the pipeline wants
/// (8, 12, 16, 24 or 48 kHz) and no resampling follows.
public final class OpusPacketDecoder {
    /// The rates libopus decodes at.
    public static let supportedSampleRates: Set<Int> = [8_000, 12_000, 16_000, 24_000, 48_000]
    /// The longest packet Opus allows: 120 ms.
    static let maximumPacketSeconds = 0.120

    public let format: AudioFormat
    private let decoder: OpaquePointer
    private var pcm: [Float]
    private var maximumFrames: Int { pcm.count / format.channelCount }

    /// A decoder producing `channelCount` (1 or 2) channels at `sampleRate`.
    public init(sampleRate: Int, channelCount: Int) throws(AudioError) {
        guard Self.supportedSampleRates.contains(sampleRate), (1...2).contains(channelCount) else {
            throw AudioError(
                .invalidRecipe,
                "Opus decodes to 1 or 2 channels at 8, 12, 16, 24 or 48 kHz, not \(channelCount) at \(sampleRate) Hz")
        }
        var status: Int32 = 0
        guard let decoder = opus_decoder_create(Int32(sampleRate), Int32(channelCount), &status), status == OPUS_OK
        else {
            throw AudioError(.decodeFailed, "libopus could not create a decoder: \(Self.message(status))")
        }
        self.decoder = decoder
        self.format = AudioFormat(sampleRate: sampleRate, channelCount: channelCount)
        self.pcm = [Float](
            repeating: 0, count: format.frames(forSeconds: Self.maximumPacketSeconds) * channelCount)
    }

    deinit { opus_decoder_destroy(decoder) }

    /// Decodes one packet into its audio (2.5 to 120 ms). A damaged packet throws `decodeFailed`.
    public func decode(_ packet: [UInt8]) throws(AudioError) -> AudioChunk {
        try run(packet, frames: maximumFrames, forwardErrorCorrection: false)
    }

    /// Recovers `frames` lost just before `nextPacket` from the redundancy that packet carries (Opus in-band
    /// FEC); where it carries none, libopus conceals the gap instead. Call it before decoding `nextPacket`.
    public func recover(frames: Int, before nextPacket: [UInt8]) throws(AudioError) -> AudioChunk {
        try run(nextPacket, frames: Self.wholeQuarterMilliseconds(frames, format), forwardErrorCorrection: true)
    }

    /// Conceals `frames` of lost audio by extrapolating from what came before (packet-loss concealment).
    public func conceal(frames: Int) throws(AudioError) -> AudioChunk {
        var remaining = frames
        var samples: [Float] = []
        samples.reserveCapacity(frames * format.channelCount)
        while remaining > 0 {
            let step = min(remaining, maximumFrames)
            let chunk = try run(nil, frames: Self.wholeQuarterMilliseconds(step, format), forwardErrorCorrection: false)
            samples += chunk.samples.prefix(min(step, chunk.frameCount) * format.channelCount)
            remaining -= step
        }
        return AudioChunk(format: format, samples: samples)
    }

    /// Forgets the stream so far, as at the start of a new, unrelated stream.
    public func reset() { _ = copus_reset(decoder) }

    /// libopus decodes and conceals only in whole multiples of 2.5 ms; `frames` rounded up to one.
    static func wholeQuarterMilliseconds(_ frames: Int, _ format: AudioFormat) -> Int {
        let quantum = format.sampleRate / 400
        return max(quantum, (frames + quantum - 1) / quantum * quantum)
    }

    private func run(_ packet: [UInt8]?, frames: Int, forwardErrorCorrection: Bool) throws(AudioError) -> AudioChunk {
        let frames = min(frames, maximumFrames)
        let decoded: Int32 = pcm.withUnsafeMutableBufferPointer { out in
            guard let out = out.baseAddress else { return OPUS_BUFFER_TOO_SMALL }
            guard let packet, !packet.isEmpty else {
                return opus_decode_float(decoder, nil, 0, out, Int32(frames), 0)
            }
            return packet.withUnsafeBufferPointer {
                opus_decode_float(
                    decoder, $0.baseAddress, Int32($0.count), out, Int32(frames),
                    forwardErrorCorrection ? 1 : 0)
            }
        }
        guard decoded >= 0 else {
            throw AudioError(.decodeFailed, "libopus could not decode a packet: \(Self.message(decoded))")
        }
        return AudioChunk(format: format, samples: Array(pcm.prefix(Int(decoded) * format.channelCount)))
    }

    private static func message(_ status: Int32) -> String { String(cString: opus_strerror(status)) }
}
