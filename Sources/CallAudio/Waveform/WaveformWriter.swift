import AudioCore
import Foundation

/// Writes the legs' spooled peaks as one BBC audiowaveform version 2 JSON file (the format wavesurfer.js and
/// peaks.js read): one channel per leg, `data` interleaved per pixel as `min, max` of each channel in turn.
/// The spools are read in blocks and the JSON written as it goes, so memory does not grow with the call.
enum WaveformWriter {
    /// The pixels per second of the seek bar's peaks (samples per pixel = rate / this).
    static let pixelsPerSecond = 50

    static func write(spools: [PeakSpool], sampleRate: Int, samplesPerPixel: Int, to path: String) throws {
        let output = try TemporaryOutput(finalPath: path)
        guard let out = output.create() else {
            throw AudioError(.writeFailed, path: path, "cannot create the waveform file")
        }
        let readers = try spools.map { spool in
            guard let handle = FileHandle(forReadingAtPath: spool.path) else {
                throw AudioError(.writeFailed, path: spool.path, "cannot read the waveform spool")
            }
            return handle
        }
        let pixelCounts = try spools.map { spool in
            ((try FileManager.default.attributesOfItem(atPath: spool.path)[.size] as? Int) ?? 0) / 2
        }
        let length = pixelCounts.max() ?? 0
        try out.write(
            contentsOf: Data(
                """
                {"version":2,"channels":\(spools.count),"sample_rate":\(sampleRate),\
                "samples_per_pixel":\(samplesPerPixel),"bits":8,"length":\(length),"data":[
                """.utf8))
        let block = 4096
        var first = true
        for start in stride(from: 0, to: length, by: block) {
            let pixels = min(block, length - start)
            let legBlocks = try readers.map { try [UInt8]($0.read(upToCount: pixels * 2) ?? Data()) }
            var text = ""
            for pixel in 0..<pixels {
                for legBlock in legBlocks {
                    let low = pixel * 2 < legBlock.count ? Int8(bitPattern: legBlock[pixel * 2]) : 0
                    let high = pixel * 2 + 1 < legBlock.count ? Int8(bitPattern: legBlock[pixel * 2 + 1]) : 0
                    text += first ? "\(low),\(high)" : ",\(low),\(high)"
                    first = false
                }
            }
            try out.write(contentsOf: Data(text.utf8))
        }
        try out.write(contentsOf: Data("]}\n".utf8))
        try out.close()
        for reader in readers { try reader.close() }
        try output.commit()
    }
}
