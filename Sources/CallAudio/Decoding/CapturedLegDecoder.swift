import AudioCore
import CallCapture

/// One RTP stream of a packet capture decoded as a leg: a second pass over the capture that keeps only this
/// stream's packets, puts them in order (`RTPTimeline`), places each by its RTP timestamp, conceals real loss,
/// fills silence suppression, DTMF and comfort-noise spans with silence, and records the digits.
///
/// Memory is the jitter window and one chunk, whatever the capture's length.
final class CapturedLegDecoder: AudioSource {
    static let chunkFrames = 4096
    /// Loss is concealed for at most this long; the rest of a longer gap is silence.
    static let longestConcealment = 0.2

    let stream: CallRecipe.CapturedStream
    var format: AudioFormat { decoder.format }
    private let path: String
    private let packets: PacketStream
    private let decoder: any RTPPayloadDecoder
    private let timeline: RTPTimeline
    private var queue = DecodedQueue()
    private var written = 0
    private var lastEventTicks: Int64?
    /// Whether the last packet placed was audio (loss right after DTMF or comfort noise is not concealed).
    private var audioBefore = false
    private var ended = false
    private(set) var digits: [CallReport.DTMFDigit] = []
    private(set) var silenceGaps = 0
    private(set) var isTruncated = false

    /// Opens the capture at `path` for `stream`, decoding at `preferredRate` where the codec can.
    init(path: String, stream: CallRecipe.CapturedStream, preferredRate: Int) throws(AudioError) {
        do {
            packets = try PacketStream(path: path)
        } catch {
            throw AudioError(.unsupportedFormat, path: path, error.message)
        }
        guard let decoder = try RTPPayloadDecoders.make(for: stream.codec.name, preferredRate: preferredRate) else {
            throw AudioError(.unsupportedFormat, path: path, "codec \(stream.codec) is not supported")
        }
        self.path = path
        self.stream = stream
        self.decoder = decoder
        self.timeline = RTPTimeline(clockRate: stream.codec.clockRate)
    }

    var statistics: RTPTimeline.Statistics { timeline.statistics }
    var decodedFrames: Int { written }

    func read() throws -> AudioChunk? {
        while queue.frames < Self.chunkFrames && !ended { try pull() }
        guard var chunk = queue.take(Self.chunkFrames, format: format) else { return nil }
        sanitizer.sanitize(&chunk.samples)
        return chunk
    }

    /// Opus's float output may overshoot full scale a little (G.711 and G.722 cannot): clipped, and counted.
    private var sanitizer = SampleSanitizer()
    var repairedSamples: Int { sanitizer.repairedSamples }

    /// Reads capture records until some of this stream's packets come out of the timeline (or the end).
    private func pull() throws {
        var entries: [RTPTimeline.Entry] = []
        while entries.isEmpty {
            let next: (time: Double, content: CapturedContent)?
            do {
                next = try packets.next()
            } catch {
                // A capture cut off mid-record: keep what came before it and report the leg as partial.
                isTruncated = true
                next = nil
            }
            guard let (time, content) = next else {
                ended = true
                entries = timeline.flush()
                break
            }
            guard case .datagram(let datagram) = content, datagram.source == stream.source,
                datagram.destination == stream.destination,
                let packet = RTPPacket(datagram.payload)
            else { continue }
            entries = timeline.add(packet, arrival: time)
        }
        for entry in entries { try place(entry) }
    }

    private func place(_ entry: RTPTimeline.Entry) throws {
        let type = entry.packet.payloadType
        guard type == stream.payloadType else {
            // DTMF and comfort noise (never audio) or a stray type: what follows them is not lost speech.
            if type == stream.telephoneEventType { recordEvent(entry) }
            audioBefore = false
            return
        }
        let position = Int(entry.ticks * Int64(format.sampleRate) / Int64(stream.codec.clockRate))
        let gap = position - written
        if gap > 0 {
            if entry.missingBefore > 0 && audioBefore {
                let concealed = min(gap, format.frames(forSeconds: Self.longestConcealment))
                let audio = try decoder.conceal(
                    frames: concealed, before: entry.packet.payload, singlePacket: entry.missingBefore == 1)
                emit(Array(audio.prefix(concealed)))
                emitSilence(gap - min(audio.count, concealed))
            } else {
                silenceGaps += 1
                emitSilence(gap)
            }
        }
        var audio = try decoder.decode(entry.packet.payload)
        if gap < 0 { audio.removeFirst(min(-gap, audio.count)) }
        emit(audio)
        audioBefore = true
    }

    private func emit(_ samples: [Float]) {
        queue.append(samples)
        written += samples.count
    }

    private func emitSilence(_ frames: Int) {
        guard frames > 0 else { return }
        queue.appendSilence(frames)
        written += frames
    }

    /// One digit per event (RFC 4733 repeats an event's packets, all with the event's start timestamp).
    private func recordEvent(_ entry: RTPTimeline.Entry) {
        guard let event = TelephoneEvent(entry.packet.payload) else { return }
        let seconds = Double(entry.ticks) / Double(stream.codec.clockRate)
        let duration = Double(event.duration) / Double(stream.codec.clockRate)
        if entry.ticks != lastEventTicks {
            lastEventTicks = entry.ticks
            digits.append(CallReport.DTMFDigit(digit: String(event.digit), time: seconds, duration: duration))
        } else {
            digits[digits.count - 1].duration = max(digits[digits.count - 1].duration, duration)
        }
    }
}

/// Decoded audio waiting to be read, with silence kept as a count so that a long gap costs no memory.
private struct DecodedQueue {
    private enum Piece {
        case audio([Float])
        case silence(Int)
    }

    private var pieces: [Piece] = []
    private var head = 0
    private(set) var frames = 0

    mutating func append(_ samples: [Float]) {
        guard !samples.isEmpty else { return }
        pieces.append(.audio(samples))
        frames += samples.count
    }

    mutating func appendSilence(_ count: Int) {
        pieces.append(.silence(count))
        frames += count
    }

    /// Up to `count` frames from the front; nil when nothing is left.
    mutating func take(_ count: Int, format: AudioFormat) -> AudioChunk? {
        guard frames > 0 else { return nil }
        var samples: [Float] = []
        samples.reserveCapacity(min(count, frames))
        while samples.count < count, head < pieces.count {
            let wanted = count - samples.count
            switch pieces[head] {
            case .audio(let audio):
                samples += audio.prefix(wanted)
                if audio.count > wanted { pieces[head] = .audio(Array(audio.dropFirst(wanted))) } else { head += 1 }
            case .silence(let length):
                samples += repeatElement(0, count: min(wanted, length))
                if length > wanted { pieces[head] = .silence(length - wanted) } else { head += 1 }
            }
        }
        if head > 64 {
            pieces.removeFirst(head)
            head = 0
        }
        frames -= samples.count
        return AudioChunk(format: format, samples: samples)
    }
}
