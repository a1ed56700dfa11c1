/// Measures how fast a stream's RTP clock runs against the capture clock: a least-squares line through
/// (capture time, RTP timestamp) over the longest SSRC segment. Keeps running sums only, so it costs nothing
/// per packet and holds no history; network jitter averages out over a call's thousands of packets.
struct DriftEstimator: Sendable {
    private struct Sums: Sendable {
        var count = 0.0
        var x = 0.0
        var y = 0.0
        var xx = 0.0
        var xy = 0.0
        var firstArrival = 0.0
        var firstTicks: Int64 = 0
        var lastTicks: Int64 = 0
        var lastX = 0.0

        /// RTP ticks per second of capture time, nil for fewer than two seconds of samples.
        var slope: Double? {
            let denominator = count * xx - x * x
            guard count >= 50, denominator > 0 else { return nil }
            return (count * xy - x * y) / denominator
        }
    }

    private var current = Sums()
    private var best = Sums()
    private var lastRaw: UInt32 = 0
    private var started = false

    mutating func startSegment() {
        if current.count > best.count { best = current }
        current = Sums()
        started = false
    }

    mutating func add(timestamp: UInt32, arrival: Double) {
        if !started {
            started = true
            current.firstArrival = arrival
            current.firstTicks = Int64(timestamp)
            current.lastTicks = Int64(timestamp)
            lastRaw = timestamp
        }
        // Only packets that move the clock forward count: reordered packets and RFC 4733 events (which repeat
        // their event's start timestamp) would pull the line off.
        let step = Int64(Int32(bitPattern: timestamp &- lastRaw))
        guard step > 0 || current.count == 0 else { return }
        current.lastTicks += step
        lastRaw = timestamp
        let x = arrival - current.firstArrival
        let y = Double(current.lastTicks - current.firstTicks)
        current.count += 1
        current.lastX = x
        current.x += x
        current.y += y
        current.xx += x * x
        current.xy += x * y
    }

    /// Below this much drift over the whole segment, the figure is network jitter rather than a clock.
    static let smallestMeasurableDrift = 0.002

    /// Beyond this, the figure is damaged or jumping timestamps rather than a clock.
    static let largestBelievableDrift = RTPTimeline.jumpTolerance.driftShare

    /// The drift in ppm; nil with too little to measure, when it adds up to less than 2 ms over the stream, or
    /// when it is beyond any real clock's.
    func ppm(clockRate: Int) -> Double? {
        let segment = current.count > best.count ? current : best
        guard let slope = segment.slope else { return nil }
        let ppm = (slope / Double(clockRate) - 1) * 1e6
        guard abs(ppm) * 1e-6 <= Self.largestBelievableDrift else { return nil }
        return abs(ppm) * 1e-6 * segment.lastX >= Self.smallestMeasurableDrift ? ppm : nil
    }
}
