import AudioCore
import CallCapture
import Foundation

/// A packet capture of a call turned into recipe legs: one per RTP stream, its codec chosen from the SIP
/// signalling in the capture (falling back to RFC 3551's static payload types), its role from who sent the
/// INVITE, and its offset from its first packet's capture time. Streams that cannot be decoded (SRTP, unknown
/// codecs) are listed with the reason instead.
struct CapturedCall {
    var legs: [CallRecipe.Leg]
    var skipped: [CallReport.SkippedStream]

    /// True when `path` starts like a pcap or pcapng file (either byte order, micro- or nanosecond stamps).
    static func isCapture(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let magic = [UInt8]((try? handle.read(upToCount: 4)) ?? Data())
        return [
            [0xD4, 0xC3, 0xB2, 0xA1], [0xA1, 0xB2, 0xC3, 0xD4], [0x4D, 0x3C, 0xB2, 0xA1], [0xA1, 0xB2, 0x3C, 0x4D],
            [0x0A, 0x0D, 0x0D, 0x0A],
        ].contains(magic)
    }

    /// Indexes the capture at `path` (one pass); throws when it is unreadable or nothing in it is decodable.
    init(path: String) throws(AudioError) {
        let index: CaptureIndex
        do {
            index = try CaptureIndex(path: path)
        } catch {
            throw AudioError(.unsupportedFormat, path: path, error.message)
        }
        let signalling = Signalling(index.offers)
        var decodable: [(stream: CaptureIndex.Stream, leg: CallRecipe.Leg)] = []
        var skipped: [CallReport.SkippedStream] = []
        for stream in index.streams {
            switch signalling.decision(for: stream) {
            case .decode(let captured):
                decodable.append(
                    (stream, CallRecipe.Leg(path: path, role: signalling.role(of: stream), capturedStream: captured)))
            case .skip(let reason):
                skipped.append(
                    CallReport.SkippedStream(
                        path: path, source: stream.key.source, destination: stream.key.destination,
                        ssrcs: stream.ssrcs, packets: stream.packets, reason: reason))
            }
        }
        guard let start = decodable.map(\.stream.firstArrival).min() else {
            let reasons = skipped.map { "\($0.source) -> \($0.destination): \($0.reason)" }
            throw AudioError(
                .noAudio, path: path,
                reasons.isEmpty
                    ? "holds no RTP audio streams"
                    : "holds no decodable RTP stream (\(reasons.joined(separator: "; ")))")
        }
        // The caller's leg first, then the others in the order they started.
        func rank(_ item: (stream: CaptureIndex.Stream, leg: CallRecipe.Leg)) -> (Int, Double) {
            (item.leg.role == "caller" ? 0 : 1, item.stream.firstArrival)
        }
        legs = decodable.sorted { rank($0) < rank($1) }
            .map { item in
                var leg = item.leg
                leg.offset = item.stream.firstArrival - start
                return leg
            }
        self.skipped = skipped
    }
}

/// What the capture's SDP offers and answers say about each stream.
private struct Signalling {
    enum Decision {
        case decode(CallRecipe.CapturedStream)
        case skip(String)
    }

    let offers: [CaptureIndex.Offer]

    init(_ offers: [CaptureIndex.Offer]) { self.offers = offers }

    /// The SDP media describing `stream`: the receiver's (whose payload types the sender must use), else the
    /// sender's own (symmetric RTP).
    private func media(for stream: CaptureIndex.Stream) -> SessionDescription.Media? {
        let all = offers.flatMap(\.sdp.media)
        return all.last { $0.endpoint == stream.key.destination } ?? all.last { $0.endpoint == stream.key.source }
    }

    /// "caller" for the stream the INVITE's sender sends, "callee" for the one it receives; nil without SIP.
    func role(of stream: CaptureIndex.Stream) -> String? {
        guard let invite = offers.first(where: \.isInvite) else { return nil }
        let callerMedia = invite.sdp.media.map(\.endpoint)
        if callerMedia.contains(stream.key.source) { return "caller" }
        if callerMedia.contains(stream.key.destination) { return "callee" }
        return stream.key.source.address == invite.sender.address ? "caller" : "callee"
    }

    func decision(for stream: CaptureIndex.Stream) -> Decision {
        let media = media(for: stream)
        if let media, media.isEncrypted {
            return .skip("encrypted (SRTP: \(media.transport)); it cannot be decoded without the keys")
        }
        let negotiated = media?.codecs ?? [:]
        let eventType = negotiated.first { $0.value.isTelephoneEvent }?.key
        let comfortNoise = Set(negotiated.filter { $0.value.isComfortNoise }.keys).union([13])
        guard let type = stream.mediaPayloadType(ignoring: comfortNoise.union(eventType.map { [$0] } ?? [])) else {
            return .skip("carries no audio packets (only DTMF or comfort noise)")
        }
        let codec: Codec
        let choice: String
        if let named = negotiated[type] {
            codec = named
            choice = "payload type \(type) negotiated in the SDP as \(named)"
        } else if let known = Codec.staticTypes[type] {
            codec = known
            let offered = negotiated.values.filter { !$0.isTelephoneEvent && !$0.isComfortNoise }.map(\.description)
            choice =
                media == nil
                ? "payload type \(type) by RFC 3551's static table (no SDP for this stream in the capture)"
                : "payload type \(type) is not in the negotiated set (\(offered.sorted().joined(separator: ", "))); "
                    + "decoded as \(known) by RFC 3551's static table"
        } else {
            return .skip("payload type \(type) is dynamic and no SDP in the capture names its codec")
        }
        guard RTPPayloadDecoders.supported.contains(codec.name.uppercased()) else {
            return .skip("codec \(codec) is not supported (PCMU, PCMA, G722 and opus are)")
        }
        return .decode(
            CallRecipe.CapturedStream(
                source: stream.key.source, destination: stream.key.destination, payloadType: type, codec: codec,
                codecChoice: choice, telephoneEventType: eventType ?? (stream.payloadTypes[101] != nil ? 101 : nil),
                driftPPM: stream.driftPPM(clockRate: codec.clockRate)))
    }
}
