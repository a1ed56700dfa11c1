import AudioCore
import CSpanDSP

/// G.711 mu-law (PCMU) and A-law (PCMA) RTP payloads decoded with spandsp, with spandsp's G.711 packet-loss
/// concealment (pitch-period repetition, fading out) for lost packets.
final class G711PacketDecoder: RTPPayloadDecoder {
    enum Law {
        case mu
        case a
    }

    let format = AudioFormat.mono(8_000)
    private let codec: OpaquePointer
    private let concealment: SpanDSPConcealment

    init(law: Law) {
        codec = g711_init(nil, law == .mu ? Int32(G711_ULAW) : Int32(G711_ALAW))
        concealment = SpanDSPConcealment()
    }

    deinit { g711_free(codec) }

    func decode(_ payload: [UInt8]) throws(AudioError) -> [Float] {
        var pcm = [Int16](repeating: 0, count: payload.count)
        let count = pcm.withUnsafeMutableBufferPointer { out in
            payload.withUnsafeBufferPointer { g711_decode(codec, out.baseAddress, $0.baseAddress, Int32($0.count)) }
        }
        return concealment.received(Array(pcm.prefix(Int(count))))
    }

    func conceal(frames: Int, before next: [UInt8]?, singlePacket: Bool) throws(AudioError) -> [Float] {
        concealment.fill(frames: frames)
    }
}

/// spandsp's packet-loss concealer: it hears every good sample and fills lost spans from them.
final class SpanDSPConcealment {
    private let state: UnsafeMutablePointer<plc_state_t>

    init() { state = plc_init(nil) }

    deinit { plc_free(state) }

    /// Passes received samples through (the concealer keeps their history) as Float32.
    func received(_ pcm: [Int16]) -> [Float] {
        var samples = pcm
        _ = samples.withUnsafeMutableBufferPointer { plc_rx(state, $0.baseAddress, Int32($0.count)) }
        return samples.map { Float($0) / 32_768 }
    }

    /// `frames` of concealment audio.
    func fill(frames: Int) -> [Float] {
        var samples = [Int16](repeating: 0, count: frames)
        _ = samples.withUnsafeMutableBufferPointer { plc_fillin(state, $0.baseAddress, Int32($0.count)) }
        return samples.map { Float($0) / 32_768 }
    }
}
