import AudioCore
import CSonic

/// Plays a stream faster or slower with its pitch kept (libsonic's pitch-synchronous overlap-add, made for
/// speech), for the 1.5x and 2x copies of a call that people skim.
///
/// libsonic 0.2 rounds each pitch period it drops or repeats to whole samples, so on its own it drifts up to
/// 2% from the requested duration at extreme speeds. This stage feeds it in fixed 10 ms blocks and, before each
/// block, nudges the speed by the output it is ahead or behind, so the copy's length stays within a few
/// milliseconds of input / speed; the fixed blocks keep the output independent of how the input was chunked.
///
/// It sits on a tee branch in front of its own encoder (`sink.after(TempoChanger(...))`), so every speed
/// copy comes from the same single pass over the input.
public final class TempoChanger: AudioProcessor {
    /// The speeds libsonic handles well for speech.
    public static let speedRange: ClosedRange<Double> = 0.25...4

    public let outputFormat: AudioFormat
    public let speed: Double
    private let stream: sonicStream
    private let blockFrames: Int
    /// The frames of sound one block's correction steers towards.
    private let horizonFrames: Double
    /// Input libsonic typically holds back while it looks for pitch periods (half of its 2 x 65 Hz window).
    private let heldBackFrames: Double
    private var pending: [Float] = []
    private var framesWritten = 0
    private var framesRead = 0

    /// - Throws: `AudioError.invalidRecipe` when `speed` is outside `speedRange`.
    public init(format: AudioFormat, speed: Double) throws {
        guard Self.speedRange.contains(speed) else {
            throw AudioError(.invalidRecipe, "speed \(speed) is outside 0.25 to 4")
        }
        guard let stream = sonicCreateStream(Int32(format.sampleRate), Int32(format.channelCount)) else {
            throw AudioError(.invalidRecipe, "libsonic could not start a stream at \(format)")
        }
        sonicSetSpeed(stream, Float(speed))
        self.stream = stream
        self.speed = speed
        outputFormat = format
        blockFrames = format.sampleRate / 100
        horizonFrames = Double(format.sampleRate) / 4
        heldBackFrames = Double(format.sampleRate) / 65
    }

    deinit { sonicDestroyStream(stream) }

    public func process(_ chunk: AudioChunk) throws -> AudioChunk {
        pending.append(contentsOf: chunk.samples)
        let blockSamples = blockFrames * outputFormat.channelCount
        var output: [Float] = []
        var start = 0
        while pending.count - start >= blockSamples {
            try write(pending[start..<(start + blockSamples)])
            output += readAvailable()
            start += blockSamples
        }
        pending.removeFirst(start)
        return AudioChunk(format: outputFormat, samples: output)
    }

    public func flush() throws -> AudioChunk {
        try write(pending[...])
        pending = []
        guard sonicFlushStream(stream) != 0 else { throw AudioError(.decodeFailed, "libsonic ran out of memory") }
        return AudioChunk(format: outputFormat, samples: readAvailable())
    }

    private func write(_ block: ArraySlice<Float>) throws {
        steer()
        var samples = Array(block)
        let frames = samples.count / outputFormat.channelCount
        let written = samples.withUnsafeMutableBufferPointer {
            sonicWriteFloatToStream(stream, $0.baseAddress, Int32(frames))
        }
        guard written != 0 else { throw AudioError(.decodeFailed, "libsonic ran out of memory") }
        framesWritten += frames
    }

    /// Sets the speed for the next block: faster while the output runs ahead of input / speed, slower while
    /// it lags, by the lead over a quarter of a second.
    private func steer() {
        let expected = (Double(framesWritten) - heldBackFrames) / speed
        guard expected > 0 else { return }
        let correction = min(max(1 + (Double(framesRead) - expected) / horizonFrames, 0.9), 1.1)
        sonicSetSpeed(stream, Float(speed * correction))
    }

    private func readAvailable() -> [Float] {
        let frames = Int(sonicSamplesAvailable(stream))
        guard frames > 0 else { return [] }
        var samples = [Float](repeating: 0, count: frames * outputFormat.channelCount)
        let read = samples.withUnsafeMutableBufferPointer {
            Int(sonicReadFloatFromStream(stream, $0.baseAddress, Int32(frames)))
        }
        framesRead += read
        return Array(samples.prefix(read * outputFormat.channelCount))
    }
}
