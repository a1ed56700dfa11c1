import AudioCore

/// Lays mono legs on one timeline and mixes them: each leg starts at its own frame, legs may differ in length,
/// and the result runs from the earliest start to the latest end, with silence where a leg has nothing.
///
/// `mono` sums the legs at full level (no 1/N loss: a `Limiter` after the mix keeps peaks in range);
/// `stereo` puts leg 1 on the left channel and leg 2 on the right.
public final class Mixer: AudioSource {
    /// One leg: a mono source at the mix rate and the output frame at which it starts.
    public struct Leg {
        public var source: any AudioSource
        public var startFrame: Int

        public init(source: any AudioSource, startFrame: Int) {
            self.source = source
            self.startFrame = startFrame
        }
    }

    public static let chunkFrames = 4096
    public let format: AudioFormat
    private let inputs: [LegReader]
    private var position = 0

    /// Mixes `legs` (all mono at one rate) into `channelCount` channels: 1 sums them, 2 gives each its own.
    public init(legs: [Leg], channelCount: Int) {
        precondition(!legs.isEmpty, "a mix needs at least one leg")
        precondition(channelCount == 1 || channelCount == legs.count, "stereo puts one leg on each channel")
        let rate = legs[0].source.format.sampleRate
        precondition(legs.allSatisfy { $0.source.format == .mono(rate) }, "legs are mono at the mix rate")
        self.format = AudioFormat(sampleRate: rate, channelCount: channelCount)
        self.inputs = legs.map { LegReader(source: $0.source, startFrame: $0.startFrame) }
    }

    public func read() throws -> AudioChunk? {
        let channels = format.channelCount
        var samples = [Float](repeating: 0, count: Self.chunkFrames * channels)
        var lastFrameWritten = 0
        for (index, input) in inputs.enumerated() {
            let channel = channels == 1 ? 0 : index
            let written = try input.add(
                into: &samples, at: position, frames: Self.chunkFrames, channel: channel, of: channels)
            lastFrameWritten = max(lastFrameWritten, written)
        }
        let frames = inputs.allSatisfy(\.hasEnded) ? lastFrameWritten : Self.chunkFrames
        guard frames > 0 else { return nil }
        position += frames
        samples.removeLast((Self.chunkFrames - frames) * channels)
        return AudioChunk(format: format, samples: samples)
    }
}

/// Reads one leg frame-exactly for the mixer, keeping the part of the last chunk not yet mixed.
private final class LegReader {
    private let source: any AudioSource
    private let startFrame: Int
    private var pending: [Float] = []
    private var pendingIndex = 0
    private(set) var hasEnded = false

    init(source: any AudioSource, startFrame: Int) {
        self.source = source
        self.startFrame = startFrame
    }

    /// Adds this leg's frames for the output span `[position, position + frames)` into `channel` of the
    /// interleaved `samples`. Returns how many frames of the span this leg reached (0 when it has not started
    /// or has ended), so the mixer knows where the last leg stopped.
    func add(into samples: inout [Float], at position: Int, frames: Int, channel: Int, of channels: Int) throws -> Int {
        let first = max(0, startFrame - position)
        guard first < frames else { return 0 }
        var frame = first
        while frame < frames {
            if pendingIndex == pending.count {
                guard !hasEnded, let chunk = try source.read() else {
                    hasEnded = true
                    return frame > first ? frame : 0
                }
                pending = chunk.samples
                pendingIndex = 0
                continue
            }
            let count = min(frames - frame, pending.count - pendingIndex)
            for offset in 0..<count {
                samples[(frame + offset) * channels + channel] += pending[pendingIndex + offset]
            }
            frame += count
            pendingIndex += count
        }
        return frames
    }
}
