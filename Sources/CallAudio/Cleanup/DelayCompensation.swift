/// Takes a stage's fixed delay out of its output so a leg keeps its timing: the first `latency` samples the
/// stage emits are dropped, and at the end `latency` samples of silence pushed through bring out the rest.
struct DelayCompensation {
    /// Samples the stage's output lags its input by.
    let latency: Int
    /// Of the output's first samples, how many are still to be dropped.
    private var toDrop: Int

    init(latency: Int) {
        self.latency = latency
        toDrop = latency
    }

    /// The silence to push through the stage after the last input.
    var tailPadding: [Float] { [Float](repeating: 0, count: latency) }

    /// `output` without the samples that come before the stage's first real one.
    mutating func trimmed(_ output: [Float]) -> [Float] {
        let dropped = min(toDrop, output.count)
        toDrop -= dropped
        return Array(output[dropped...])
    }
}
