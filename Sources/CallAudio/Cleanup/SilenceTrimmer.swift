import AudioCore
import Foundation

/// Cuts the silence before the first and after the last sound of a stream, keeping `keep` seconds of each,
/// so a voicemail starts and ends promptly however long the caller hesitated or the line stayed open.
///
/// The stream is judged in 10 ms blocks: a block whose RMS (over all channels) reaches `thresholdDBFS` is
/// sound. Quiet blocks after a sound are held back until the next sound (then passed on whole: pauses inside
/// the message are kept) or the end (then all but `keep` seconds are dropped), so memory holds at most the
/// current pause, never the recording.
public final class SilenceTrimmer: AudioProcessor {
    public let outputFormat: AudioFormat
    private let blockSamples: Int
    private let keepSamples: Int
    private let threshold: Float
    private var block: [Float] = []
    /// Before the first sound: the most recent quiet audio, at most `keepSamples` long.
    private var lead: [Float] = []
    /// After a sound: the quiet audio since.
    private var pause: [Float] = []
    private var heardSound = false

    /// The usual threshold: well under speech after clean-up and levelling, above a suppressed noise floor.
    public static let defaultThresholdDBFS = -50.0

    public init(format: AudioFormat, keep: Double, thresholdDBFS: Double = SilenceTrimmer.defaultThresholdDBFS) {
        outputFormat = format
        blockSamples = format.frames(forSeconds: 0.010) * format.channelCount
        keepSamples = format.frames(forSeconds: keep) * format.channelCount
        threshold = Float(pow(10, thresholdDBFS / 20))
    }

    public func process(_ chunk: AudioChunk) throws -> AudioChunk {
        var output: [Float] = []
        var start = 0
        while start < chunk.samples.count {
            let take = min(blockSamples - block.count, chunk.samples.count - start)
            block += chunk.samples[start..<start + take]
            start += take
            if block.count == blockSamples {
                judge(block, into: &output)
                block.removeAll(keepingCapacity: true)
            }
        }
        return AudioChunk(format: outputFormat, samples: output)
    }

    public func flush() throws -> AudioChunk {
        var output: [Float] = []
        if !block.isEmpty { judge(block, into: &output) }
        block = []
        output += heardSound ? pause.prefix(keepSamples) : []
        pause = []
        lead = []
        return AudioChunk(format: outputFormat, samples: output)
    }

    private func judge(_ block: [Float], into output: inout [Float]) {
        let meanSquare = block.reduce(Float(0)) { $0 + $1 * $1 } / Float(block.count)
        let isSound = meanSquare.squareRoot() >= threshold
        switch (heardSound, isSound) {
        case (false, false):
            lead += block
            if lead.count > keepSamples { lead.removeFirst(lead.count - keepSamples) }
        case (false, true):
            heardSound = true
            output += lead + block
            lead = []
        case (true, false):
            pause += block
        case (true, true):
            output += pause + block
            pause.removeAll(keepingCapacity: true)
        }
    }
}
