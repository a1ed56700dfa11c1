import AudioCore
import AudioTesting
import Foundation
import Testing

@testable import CallAudio

/// M4A (AAC) files encoded by ffmpeg from generated tones, decoded by `MP4AACDecoder` as a leg would be.
@Suite struct MP4AACDecoderTests {
    /// One AAC frame: 1,024 samples.
    static func frame(_ rate: Int) -> Double { 1_024 / Double(rate) }

    /// A tone of `frequencies[channel]` Hz in each channel, at half scale.
    static func tones(_ frequencies: [Double], seconds: Double, rate: Int) -> AudioChunk {
        let channels = frequencies.map { Signals.sine($0, amplitude: 0.5, seconds: seconds, format: .mono(rate)) }
        let frames = channels[0].frameCount
        var samples = [Float](repeating: 0, count: frames * frequencies.count)
        for (channel, tone) in channels.enumerated() {
            for frame in 0..<frames { samples[frame * frequencies.count + channel] = tone.samples[frame] }
        }
        return AudioChunk(format: AudioFormat(sampleRate: rate, channelCount: frequencies.count), samples: samples)
    }

    static let cases: [(Int, [Double])] = [
        (8_000, [1_000]), (16_000, [1_000]), (44_100, [440, 1_000]), (48_000, [1_000]),
    ]

    @Test(arguments: cases)
    func decodesAtTheFilesRateAndChannelsForItsWholeLength(rate: Int, frequencies: [Double]) throws {
        try withScratchFolder("callaudio-m4a") { folder throws in
            let url = folder.appendingPathComponent("tone.m4a")
            let original = Self.tones(frequencies, seconds: 2, rate: rate)
            try Fixtures.writeM4A(original, to: url)

            let decoder = try #require(try LegInput.openFile(url.path, preferredSampleRate: 16_000) as? MP4AACDecoder)
            let decoded = AudioChunk(format: decoder.format, samples: try decoder.readAll())
            #expect(decoder.format == original.format)
            #expect(decoder.fileSampleRate == rate)
            #expect(decoder.formatName == "MP4 / AAC LC")
            #expect(abs(decoder.decodedDuration - 2) <= Self.frame(rate), "\(decoder.decodedDuration) s")
            #expect(decoder.isPartial == false)
            #expect(decoder.repairedSamples == 0)
            for (channel, frequency) in frequencies.enumerated() {
                let middle = decoded.frames(rate / 2..<rate * 3 / 2).channel(channel)
                let peak = Measure.dominantFrequency(middle[...], sampleRate: rate, from: 200, to: 2_000, step: 10)
                #expect(abs(peak - frequency) <= 10, "channel \(channel) peaks at \(peak) Hz")
                #expect(abs(Measure.toneDB(middle[...], frequency: frequency, sampleRate: rate) + 6.02) < 1)
                // Sample-aligned with the original: the encoder's priming samples are dropped as the edit list asks.
                let source = original.frames(rate / 2..<rate * 3 / 2).channel(channel)
                #expect(Measure.correlation(middle, source) > 0.99, "channel \(channel)")
            }
        }
    }

    @Test(arguments: Fixtures.MP4Layout.allCases)
    func everyLayoutDecodesAlike(layout: Fixtures.MP4Layout) throws {
        try withScratchFolder("callaudio-m4a") { folder throws in
            let url = folder.appendingPathComponent("tone.m4a")
            try Fixtures.writeM4A(Self.tones([1_000], seconds: 3, rate: 48_000), to: url, layout: layout)
            let decoder = try MP4AACDecoder(path: url.path)
            var largest = 0
            while let chunk = try decoder.read() { largest = max(largest, chunk.frameCount) }
            // A fragmented file carries no edit list: its encoder's 1,024 priming samples and its last frame's
            // padding stay, as the file says.
            let leeway = layout == .fragmented ? 2 * Self.frame(48_000) : Self.frame(48_000)
            #expect(abs(decoder.decodedDuration - 3) <= leeway, "\(layout): \(decoder.decodedDuration) s")
            #expect(decoder.isPartial == false)
            #expect(largest <= 2_048, "one AAC frame per chunk")
        }
    }

    /// A cut-short file: with its index last (most recorders) nothing can be read and the error says so in one
    /// line; with its index first, or fragmented, the frames before the cut decode and the leg is partial.
    @Test(arguments: Fixtures.MP4Layout.allCases)
    func aCutShortFileFailsInOneLineOrDecodesItsWholeFramesAsPartial(layout: Fixtures.MP4Layout) throws {
        try withScratchFolder("callaudio-m4a") { folder throws in
            let whole = folder.appendingPathComponent("whole.m4a")
            try Fixtures.writeM4A(Self.tones([1_000], seconds: 4, rate: 48_000), to: whole, layout: layout)
            let bytes = try Data(contentsOf: whole)
            let cut = folder.appendingPathComponent("cut.m4a")
            try bytes.prefix(bytes.count * 6 / 10).write(to: cut)
            switch layout {
            case .indexLast:
                let error = try #require(throws: AudioError.self) { try MP4AACDecoder(path: cut.path) }
                #expect(error.path == cut.path)
                #expect(error.description.contains("is cut short or unfinished"), "\(error)")
                #expect(!error.description.contains("\n"))
            case .indexFirst, .fragmented:
                let decoder = try MP4AACDecoder(path: cut.path)
                let samples = try decoder.readAll()
                #expect(decoder.isPartial, "\(layout)")
                #expect(decoder.decodedDuration > 1.5 && decoder.decodedDuration < 3, "\(decoder.decodedDuration) s")
                #expect(samples.count % 1_024 == 0, "whole AAC frames only")
                let tail = Array(samples.suffix(4_800))
                #expect(abs(Measure.toneDB(tail[...], frequency: 1_000, sampleRate: 48_000) + 6.02) < 1.5)
            }
        }
    }

    /// A 1.2 kB file whose index claims hundreds of megabytes of tables is refused, not given the memory.
    @Test func anIndexClaimingHugeTablesIsRefusedInOneLine() throws {
        let path = FuzzRegressionTests.folder.appendingPathComponent("m4a-index-claims-560-mb.m4a").path
        let error = try #require(throws: AudioError.self) { try MP4AACDecoder(path: path) }
        #expect(error.description.contains("its index claims more samples than a recording could hold"), "\(error)")
    }

    /// MP4 files that are not AAC audio are refused with one line naming the file and what it holds.
    @Test(arguments: ["video only", "ALAC audio", "not MP4 after its ftyp", "empty moov"])
    func anMP4WithoutAACIsRefusedInOneLine(content: String) throws {
        try withScratchFolder("callaudio-m4a") { folder throws in
            let url = folder.appendingPathComponent("input.mp4")
            let expected: String
            let encode = { (arguments: [String]) throws in
                _ = try ExternalTool.output(
                    "/usr/bin/ffmpeg",
                    ["-hide_banner", "-loglevel", "error", "-y"] + arguments + ["-f", "mp4", url.path])
            }
            switch content {
            case "video only":
                try encode(["-f", "lavfi", "-i", "testsrc=d=1:s=64x48:r=10", "-c:v", "mpeg4"])
                expected = "is an MP4 video with no sound track"
            case "ALAC audio":
                try encode(["-f", "lavfi", "-i", "sine=f=440:d=1", "-c:a", "alac"])
                expected = "holds alac audio; only AAC is read from MP4/M4A"
            case "not MP4 after its ftyp":
                var bytes: [UInt8] = [0, 0, 0, 24] + Array("ftypM4A ".utf8) + [0, 0, 2, 0] + Array("M4A isom".utf8)
                bytes += (0..<4_000).map { UInt8(truncatingIfNeeded: $0 &* 7919) }
                try Data(bytes).write(to: url)
                expected = "is not a readable MP4/M4A file"
            default:
                let bytes: [UInt8] =
                    [0, 0, 0, 16] + Array("ftypM4A ".utf8) + [0, 0, 2, 0] + [0, 0, 0, 8] + Array("moov".utf8)
                try Data(bytes).write(to: url)
                expected = "is an MP4 file with no audio track"
            }
            let error = try #require(throws: AudioError.self) {
                try LegInput.openFile(url.path, preferredSampleRate: nil)
            }
            #expect(error.description.contains(expected), "\(error)")
            #expect(error.path == url.path)
            #expect(!error.description.contains("\n"))
        }
    }
}
