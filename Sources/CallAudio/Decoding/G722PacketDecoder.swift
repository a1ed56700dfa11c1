import AudioCore
import CSpanDSP

/// G.722 RTP payloads (64 kbit/s, 16 kHz audio; RFC 3551 keeps its RTP clock at 8000 Hz) decoded with
/// spandsp, lost packets concealed by spandsp's concealer.
final class G722PacketDecoder: RTPPayloadDecoder {
    let format = AudioFormat.mono(16_000)
    private let codec: OpaquePointer
    private let concealment = SpanDSPConcealment()

    init() throws(AudioError) {
        guard let codec = g722_decode_init(nil, 64_000, 0) else {
            throw AudioError(.decodeFailed, "spandsp could not create a G.722 decoder")
        }
        self.codec = codec
    }

    deinit { g722_decode_free(codec) }

    func decode(_ payload: [UInt8]) throws(AudioError) -> [Float] {
        // Each byte holds one 8 kHz pair of sub-band codes: two 16 kHz samples.
        var pcm = [Int16](repeating: 0, count: payload.count * 2)
        let count = pcm.withUnsafeMutableBufferPointer { out in
            payload.withUnsafeBufferPointer { g722_decode(codec, out.baseAddress, $0.baseAddress, Int32($0.count)) }
        }
        return concealment.received(Array(pcm.prefix(Int(count))))
    }

    func conceal(frames: Int, before next: [UInt8]?, singlePacket: Bool) throws(AudioError) -> [Float] {
        concealment.fill(frames: frames)
    }
}
