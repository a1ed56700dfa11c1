import AudioCore

/// The other leg of a call, time-aligned and cut into 10 ms frames, as the far-end reference of webrtc's
/// echo canceller: what the speakerphone played while this leg was captured.
///
/// It reads its own decode of the other leg (a second, cheap decode rather than a buffer shared with the
/// mixer, so the two legs stay independent and can run on separate threads). Past the end of the other leg
/// it gives silence.
public final class EchoReference {
    private let source: any AudioSource
    private var pending: [Float] = []
    private var framesToSkip: Int
    private var ended = false

    /// - Parameters:
    ///   - source: the other leg, mono at the rate of the leg it cleans.
    ///   - lead: seconds by which the near leg starts after the other one (the near leg's offset minus the
    ///     other leg's): that much of the other leg is skipped, or, when negative, silence comes first.
    public init(_ source: some AudioSource, lead: Double) {
        self.source = source
        let frames = source.format.frames(forSeconds: lead)
        framesToSkip = max(frames, 0)
        pending = [Float](repeating: 0, count: max(-frames, 0))
    }

    public var format: AudioFormat { source.format }

    /// The next `length` samples of the aligned reference.
    func next(_ length: Int) throws -> [Float] {
        while pending.count < length && !ended {
            guard let chunk = try source.read() else {
                ended = true
                break
            }
            let skipped = min(framesToSkip, chunk.samples.count)
            framesToSkip -= skipped
            pending.append(contentsOf: chunk.samples[skipped...])
        }
        if pending.count < length { pending.append(contentsOf: [Float](repeating: 0, count: length - pending.count)) }
        defer { pending.removeFirst(length) }
        return Array(pending.prefix(length))
    }
}
