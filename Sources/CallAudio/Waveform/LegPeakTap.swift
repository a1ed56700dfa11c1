import AudioCore
import Foundation

/// A pass-through stage on one leg's stream (at the mix rate) that records the leg's minimum and maximum per
/// pixel of `samplesPerPixel` frames on the call's timeline, as signed 8-bit pairs, into a spool file, so a seek
/// bar can show who speaks when. Memory stays one pixel; the spool holds two bytes per pixel on disk.
final class LegPeakTap: AudioSource {
    let format: AudioFormat
    private let upstream: any AudioSource
    private let spool: PeakSpool
    private let samplesPerPixel: Int
    private var framesInPixel: Int
    private var low: Float = 0
    private var high: Float = 0
    private var ended = false

    /// Taps `upstream`, a mono leg that starts `startFrame` frames into the call: the pixels before it are silent.
    init(_ upstream: any AudioSource, startFrame: Int, samplesPerPixel: Int, spool: PeakSpool) throws {
        precondition(upstream.format.channelCount == 1, "a leg is mono, as the mixer takes it")
        self.upstream = upstream
        self.format = upstream.format
        self.spool = spool
        self.samplesPerPixel = samplesPerPixel
        for _ in 0..<startFrame / samplesPerPixel { try spool.append(low: 0, high: 0) }
        framesInPixel = startFrame % samplesPerPixel
    }

    func read() throws -> AudioChunk? {
        guard let chunk = try upstream.read() else {
            if !ended {
                ended = true
                if framesInPixel > 0 { try spool.append(low: low, high: high) }
                try spool.close()
            }
            return nil
        }
        try chunk.samples.withUnsafeBufferPointer { samples in
            var frame = 0
            while frame < samples.count {
                // The rest of the current pixel, or of the chunk, in one run.
                let end = frame + min(samplesPerPixel - framesInPixel, samples.count - frame)
                for value in samples[frame..<end] {
                    low = min(low, value)
                    high = max(high, value)
                }
                framesInPixel += end - frame
                frame = end
                if framesInPixel == samplesPerPixel {
                    try spool.append(low: low, high: high)
                    framesInPixel = 0
                    low = 0
                    high = 0
                }
            }
        }
        return chunk
    }
}

/// The peaks of one leg on disk: a hidden file of signed 8-bit (min, max) pairs, written through a small buffer.
/// The file is a never-committed `TemporaryOutput` beside the waveform, so it is removed with the spool.
final class PeakSpool {
    private let file: TemporaryOutput
    private let handle: FileHandle
    private var buffer: [UInt8] = []

    /// A spool beside `finalPath` (the waveform file), told apart by `purpose`.
    init(beside finalPath: String, purpose: String) throws(AudioError) {
        file = try TemporaryOutput(finalPath: finalPath, purpose: purpose)
        guard let handle = file.create() else {
            throw AudioError(.writeFailed, path: file.temporaryPath, "cannot create the waveform spool")
        }
        self.handle = handle
        buffer.reserveCapacity(8192)
    }

    var path: String { file.temporaryPath }

    func append(low: Float, high: Float) throws {
        buffer.append(UInt8(bitPattern: Self.eightBit(low)))
        buffer.append(UInt8(bitPattern: Self.eightBit(high)))
        if buffer.count >= 8192 { try flush() }
    }

    func close() throws {
        try flush()
        try handle.close()
    }

    private func flush() throws {
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private static func eightBit(_ value: Float) -> Int8 { Int8(clamping: Int((value * 127).rounded())) }
}
