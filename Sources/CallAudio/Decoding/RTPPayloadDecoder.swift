import AudioCore

/// Decodes the payloads of one RTP stream, packet by packet, into mono audio, and fills the audio of lost
/// packets (concealment). One per stream: codecs keep state from packet to packet.
protocol RTPPayloadDecoder: AnyObject {
    /// Mono, at the rate the codec's audio comes out at (16 kHz for G.722, whose RTP clock says 8 kHz).
    var format: AudioFormat { get }
    /// The payload of one packet as samples.
    func decode(_ payload: [UInt8]) throws(AudioError) -> [Float]
    /// `frames` of audio for packets lost just before `next` (nil at the end of a stream).
    func conceal(frames: Int, before next: [UInt8]?, singlePacket: Bool) throws(AudioError) -> [Float]
}

/// The codecs a captured leg can be decoded with, by their RTP encoding names.
enum RTPPayloadDecoders {
    /// The codecs decoded here (encoding names, upper case).
    static let supported: Set<String> = ["PCMU", "PCMA", "G722", "OPUS"]

    /// A decoder for `codec`, decoding at `preferredRate` where the codec can (Opus); nil when unsupported.
    static func make(for codec: String, preferredRate: Int) throws(AudioError) -> (any RTPPayloadDecoder)? {
        switch codec.uppercased() {
        case "PCMU": return G711PacketDecoder(law: .mu)
        case "PCMA": return G711PacketDecoder(law: .a)
        case "G722": return try G722PacketDecoder()
        case "OPUS":
            let rate = OpusPacketDecoder.supportedSampleRates.contains(preferredRate) ? preferredRate : 48_000
            return try OpusPacketDecoder(sampleRate: rate, channelCount: 1)
        default: return nil
        }
    }
}

extension OpusPacketDecoder: RTPPayloadDecoder {
    func decode(_ payload: [UInt8]) throws(AudioError) -> [Float] {
        let chunk: AudioChunk = try decode(payload)
        return chunk.samples
    }

    /// A single lost packet comes back from the next packet's in-band FEC; longer gaps are concealed (PLC).
    func conceal(frames: Int, before next: [UInt8]?, singlePacket: Bool) throws(AudioError) -> [Float] {
        if singlePacket, let next {
            return Array(try recover(frames: frames, before: next).samples.prefix(frames))
        }
        return Array(try conceal(frames: frames).samples.prefix(frames))
    }
}
