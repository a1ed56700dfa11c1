/// Makes decoded samples safe for every later stage: a NaN or infinity becomes silence (0) and a finite value
/// outside the full scale [-1, 1] is clipped to it, so no meter, mixer or encoder ever sees a float it could
/// trap on (a float WAV with one NaN, a value near 3e38, or integer PCM relabelled as float).
struct SampleSanitizer {
    /// Samples replaced or clipped so far.
    private(set) var repairedSamples = 0

    /// Repairs `samples` in place.
    mutating func sanitize(_ samples: inout [Float]) {
        for index in samples.indices {
            let sample = samples[index]
            guard !(sample >= -1 && sample <= 1) else { continue }
            samples[index] = sample.isFinite ? (sample > 0 ? 1 : -1) : 0
            repairedSamples += 1
        }
    }
}
