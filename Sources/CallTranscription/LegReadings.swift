import CallAudio

/// One leg's readings by the engine, one per clean-up the leg was read with, in the order read, and what is kept of
/// them.
///
/// A noisy leg is read more than once when the engine's confidence can tell the readings apart
/// (`Transcriber.ranksByConfidence`): cleaned by webrtc, raw, and cleaned by DeepFilterNet3 where it is installed.
/// Measured on 30 noisy caller legs (benchmarks/RESULTS.md, sections 19 and 22): of two readings, keeping the one
/// Whisper is surer of got fewer words wrong than cleaning every noisy leg (769 against 798) but left 2 legs worse
/// than the raw one; a word-by-word vote between three (`ReadingVote`) got 698 wrong and left none worse.
struct LegReadings {
    /// What the engine heard in the leg after one clean-up.
    struct Reading {
        var cleanup: NoiseSuppressor.Level
        var segments: [TranscriptSegment] = []
        /// How far into the leg (seconds on its own timeline) this reading has got.
        var legEnd = 0.0

        /// The engine's confidence in the reading: its segments' confidence weighted by their length; nil when
        /// the engine gave none, 0 for a reading in which it heard nothing.
        var confidence: Double? {
            var weighted = 0.0
            var length = 0.0
            for segment in segments {
                guard let confidence = segment.confidence else { return nil }
                let seconds = max(segment.end - segment.start, 0.001)
                weighted += confidence * seconds
                length += seconds
            }
            return length > 0 ? weighted / length : 0
        }
    }

    private(set) var readings: [Reading] = []

    /// Adds what the engine heard in one clip of the reading after `cleanup`, a clip that ends `legEnd` seconds
    /// into the leg. Clips come in order, so a clean-up not seen last starts the next reading.
    mutating func add(_ segments: [TranscriptSegment], cleanup: NoiseSuppressor.Level, legEnd: Double) {
        if readings.last?.cleanup != cleanup { readings.append(Reading(cleanup: cleanup)) }
        readings[readings.count - 1].segments += segments
        readings[readings.count - 1].legEnd = legEnd
    }

    /// How far into the leg the engine has got, in seconds of the leg, when it is read `count` times: a reading's
    /// share of the way, so that progress only goes forward and ends where one reading would.
    func progress(readingsInAll count: Int) -> Double {
        readings.reduce(0) { $0 + $1.legEnd } / Double(max(count, readings.count, 1))
    }

    /// What is kept of the readings: of three or more, their word-by-word vote (`ReadingVote`), with the clean-up
    /// of the reading it started from; otherwise the reading the engine is surest of, on a tie or when the engine
    /// gave no confidence the first one read. Nil when no clip of the leg held speech.
    var kept: Reading? {
        if readings.count >= 3 {
            let vote = ReadingVote(readings)
            var kept = readings[vote.pivotIndex]
            kept.segments = vote.segments
            return kept
        }
        return readings.indices.min { Self.isSurer(readings, $0, than: $1) }.map { readings[$0] }
    }

    /// Whether `readings[first]` goes before `readings[second]`: the engine is surer of it (a reading without a
    /// confidence least sure) or, as sure, it was read first.
    static func isSurer(_ readings: [Reading], _ first: Int, than second: Int) -> Bool {
        let (a, b) = (readings[first].confidence ?? -1, readings[second].confidence ?? -1)
        return a > b || (a == b && first < second)
    }
}
