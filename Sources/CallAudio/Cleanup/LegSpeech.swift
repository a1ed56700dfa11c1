import AudioCore

extension CallRecipe.Leg {
    /// Reads this leg once at `sampleRate`, through noise suppression at `denoise` (`.off` keeps only the
    /// high-pass filter, `.deep` is DeepFilterNet3), and hands each stretch of speech to `body` as `SpeechSegmenter` finds it, with its
    /// start in seconds on the leg's own timeline. Memory is bounded by the longest span.
    /// - Returns: the leg's duration in seconds.
    /// - Throws: `AudioError` when the leg cannot be read; whatever `body` throws.
    @discardableResult
    public func forEachSpeechSpan(
        sampleRate: Int, denoise: NoiseSuppressor.Level, _ body: (SpeechSpan) throws -> Void
    ) throws -> Double {
        let format = AudioFormat.mono(sampleRate)
        var stream = Self.denoised(
            try LegInput(self, sampleRate: sampleRate).stream, by: try NoiseSuppressor(format: format, level: denoise))
        if denoise == .deep { stream = Self.denoised(stream, by: try DeepNoiseSuppressor(format: format)) }
        let segmenter = try SpeechSegmenter(format: format)
        var frames = 0
        while let chunk = try stream.read() {
            frames += chunk.frameCount
            for span in try segmenter.push(chunk) { try body(span) }
        }
        for span in try segmenter.finish() { try body(span) }
        return format.seconds(forFrames: frames)
    }

    private static func denoised(_ source: some AudioSource, by suppressor: some AudioProcessor) -> any AudioSource {
        source.through(suppressor)
    }
}
