/// Puts one leg's RTP packets, which arrive in capture order, back into sending order: sequence numbers are
/// unwrapped past 65535, duplicates dropped, packets reordered within a jitter window, and each released
/// packet carries how many sequence numbers went missing before it (real loss, as opposed to a timestamp
/// gap with no missing sequence numbers: silence suppression).
///
/// A new SSRC on the same addresses continues the leg: its sequence numbers and timestamps are rebased so
/// its first packet lands where its capture time says. So does a packet whose timestamp strays from its
/// capture time by more than any clock drift or jitter explains (`jumpTolerance`): RFC 3550 lets a sender's
/// timestamps jump, and a damaged one must not add hours of silence to the leg.
public final class RTPTimeline {
    /// A packet released in order.
    public struct Entry {
        public var packet: RTPPacket
        /// RTP clock ticks since the leg's first packet, unwrapped and rebased across SSRC changes.
        public var ticks: Int64
        /// Sequence numbers missing between the previous released packet and this one.
        public var missingBefore: Int
    }

    /// Counts for the report.
    public struct Statistics: Sendable, Equatable, Codable {
        public var packets = 0
        public var duplicated = 0
        public var reordered = 0
        /// Unique sequence numbers never received (counted here, not as tshark's "Lost" column does).
        public var lost = 0
        /// Packets that arrived after the jitter window had already moved past them (dropped, counted lost).
        public var late = 0
        public var ssrcs: [UInt32] = []
        /// Timestamps that jumped away from the capture clock; the leg was re-anchored on it each time.
        public var timestampJumps = 0
    }

    /// How far a packet's timestamp may stray from its capture time before it counts as a jump: 10 s for
    /// jitter, buffering and held DTMF keys (an RFC 4733 event repeats its start time while the key is down),
    /// plus 1% of the time since the leg began for clock drift (10,000 ppm, ten times the worst clock a phone
    /// has).
    public static let jumpTolerance = (seconds: 10.0, driftShare: 0.01)

    /// Packets held back for reordering: 50 packets are a second of 20 ms audio.
    public static let window = 50
    public private(set) var statistics = Statistics()
    private let clockRate: Int
    private var held: [(sequence: Int64, entry: Entry)] = []
    private var ssrc: UInt32?
    private var firstArrival: Double?
    private var highestSequence: Int64 = -1
    private var releasedSequence: Int64?
    private var sequenceBase: Int64 = 0
    private var lastRawSequence: Int64 = 0
    private var timestampBase: Int64 = 0
    private var lastRawTimestamp: Int64 = 0

    public init(clockRate: Int) { self.clockRate = clockRate }

    /// Adds a packet captured at `arrival` (seconds); returns the packets now ready, in order.
    public func add(_ packet: RTPPacket, arrival: Double) -> [Entry] {
        var ready: [Entry] = []
        if packet.ssrc != ssrc {
            ready += flush()
            startSegment(packet, arrival: arrival)
        }
        let sequence = unwrap(Int64(packet.sequenceNumber), last: &lastRawSequence, modulo: 1 << 16) + sequenceBase
        var ticks = unwrap(Int64(packet.timestamp), last: &lastRawTimestamp, modulo: 1 << 32) + timestampBase
        let elapsed = arrival - (firstArrival ?? arrival)
        let expected = Int64((elapsed * Double(clockRate)).rounded())
        let tolerance = (Self.jumpTolerance.seconds + Self.jumpTolerance.driftShare * elapsed) * Double(clockRate)
        if Double(abs(ticks - expected)) > tolerance {
            timestampBase += expected - ticks
            ticks = expected
            statistics.timestampJumps += 1
        }
        if let releasedSequence, sequence <= releasedSequence {
            if held.contains(where: { $0.sequence == sequence }) || sequence == releasedSequence {
                statistics.duplicated += 1
            } else {
                statistics.late += 1
            }
            return ready
        }
        if held.contains(where: { $0.sequence == sequence }) {
            statistics.duplicated += 1
            return ready
        }
        statistics.packets += 1
        if sequence < highestSequence { statistics.reordered += 1 }
        highestSequence = max(highestSequence, sequence)
        let index = held.firstIndex { $0.sequence > sequence } ?? held.endIndex
        held.insert((sequence, Entry(packet: packet, ticks: ticks, missingBefore: 0)), at: index)
        while held.count > Self.window { ready.append(releaseFirst()) }
        return ready
    }

    /// Releases every packet still held (at the end of the capture).
    public func flush() -> [Entry] {
        var ready: [Entry] = []
        while !held.isEmpty { ready.append(releaseFirst()) }
        return ready
    }

    private func releaseFirst() -> Entry {
        let (sequence, entry) = held.removeFirst()
        var released = entry
        if let previous = releasedSequence {
            released.missingBefore = Int(max(0, sequence - previous - 1))
            statistics.lost += released.missingBefore
        }
        releasedSequence = sequence
        return released
    }

    /// Rebases a new SSRC so that its first packet continues the leg where its capture time places it.
    private func startSegment(_ packet: RTPPacket, arrival: Double) {
        ssrc = packet.ssrc
        statistics.ssrcs.append(packet.ssrc)
        let first = firstArrival ?? arrival
        firstArrival = first
        lastRawSequence = Int64(packet.sequenceNumber)
        lastRawTimestamp = Int64(packet.timestamp)
        // The next sequence number continues the previous segment's, so the change itself is not a loss.
        sequenceBase = (releasedSequence.map { $0 + 1 } ?? 0) - Int64(packet.sequenceNumber)
        highestSequence = sequenceBase + Int64(packet.sequenceNumber) - 1
        timestampBase = Int64(((arrival - first) * Double(clockRate)).rounded()) - Int64(packet.timestamp)
    }

    /// The value of `raw` (a counter that wraps at `modulo`) nearest the last one seen, unwrapped.
    private func unwrap(_ raw: Int64, last: inout Int64, modulo: Int64) -> Int64 {
        var value = raw + (last - last.mod(modulo))
        if value - last > modulo / 2 { value -= modulo } else if last - value > modulo / 2 { value += modulo }
        last = value
        return value
    }
}

extension Int64 {
    fileprivate func mod(_ modulo: Int64) -> Int64 { ((self % modulo) + modulo) % modulo }
}
