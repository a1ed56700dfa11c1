import AudioCore

/// Passes a stream on unchanged and reports the share of the expected length written so far.
final class ProgressSink: AudioSink {
    private let expectedFrames: Int?
    private let progress: CallProcessor.Progress?
    private let downstream: any AudioSink
    private var frames = 0
    private var lastReported = -1.0

    init(expectedFrames: Int?, progress: CallProcessor.Progress?, downstream: any AudioSink) {
        self.expectedFrames = expectedFrames
        self.progress = progress
        self.downstream = downstream
    }

    func write(_ chunk: AudioChunk) throws {
        try downstream.write(chunk)
        frames += chunk.frameCount
        guard let progress, let expectedFrames, expectedFrames > 0 else { return }
        let fraction = min(1, Double(frames) / Double(expectedFrames))
        if fraction - lastReported >= 0.01 {
            lastReported = fraction
            progress(fraction)
        }
    }

    func finish() throws {
        try downstream.finish()
        progress?(1)
    }
}
