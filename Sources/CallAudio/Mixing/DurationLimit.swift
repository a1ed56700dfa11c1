import AudioCore

/// Passes a stream through until it runs past `maxSeconds`, then fails the run: a small upload that decodes to
/// hours (a FLAC of silence, legs placed a day apart) costs a clear error, not hours of work and gigabytes.
/// An infinite limit passes everything.
final class DurationLimit: AudioSource {
    let format: AudioFormat
    private let upstream: any AudioSource
    private let maxSeconds: Double
    private let maxFrames: Int
    private var frames = 0

    init(_ upstream: any AudioSource, maxSeconds: Double) {
        self.upstream = upstream
        self.maxSeconds = maxSeconds
        format = upstream.format
        maxFrames = maxSeconds.isFinite ? upstream.format.frames(forSeconds: maxSeconds) : .max
    }

    func read() throws -> AudioChunk? {
        guard let chunk = try upstream.read() else { return nil }
        frames += chunk.frameCount
        if frames > maxFrames { throw CallRecipe.tooLong(maxSeconds: maxSeconds) }
        return chunk
    }
}

extension CallRecipe {
    /// The error of a call that would last longer than `maxSeconds`.
    static func tooLong(maxSeconds: Double, path: String? = nil, seconds: Double? = nil) -> AudioError {
        let length = seconds.map { "lasts \(Int($0.rounded(.up))) s (with its offset)" } ?? "the call runs"
        return AudioError(
            .invalidRecipe, path: path, "\(length) past the limit of \(Int(maxSeconds)) s for one call")
    }
}
