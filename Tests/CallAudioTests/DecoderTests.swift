import AudioCore
import AudioTesting
import CallAudio
import Foundation
import Testing

@Suite struct DecoderTests {
    static let cases: [(Fixtures.FileFormat, Int, Int)] = [
        (.pcm8, 8_000, 1), (.pcm16, 16_000, 2), (.pcm24, 44_100, 1), (.pcm32, 22_050, 2), (.float32, 32_000, 1),
        (.mulaw, 8_000, 1), (.alaw, 8_000, 2), (.flac, 44_100, 2), (.vorbis, 44_100, 1), (.opus, 48_000, 1),
        (.opus, 48_000, 2), (.mp3, 22_050, 1), (.mp3, 44_100, 2),
    ]

    @Test(arguments: cases)
    func decodesEveryFormatAtItsRateLayoutAndLength(format: Fixtures.FileFormat, rate: Int, channels: Int) throws {
        try withScratchFolder { folder throws in
            let original = Signals.sine(
                1_000, amplitude: 0.5, seconds: 1.5, format: AudioFormat(sampleRate: rate, channelCount: channels))
            let url = folder.appendingPathComponent("tone.\(format.fileExtension)")
            try Fixtures.write(original, to: url, as: format)

            let decoder = try FileDecoder(path: url.path)
            let decoded = try decoder.readAll()
            #expect(decoder.format == AudioFormat(sampleRate: rate, channelCount: channels))
            #expect(abs(decoder.decodedDuration - 1.5) < (format.isLossy ? 0.03 : 0.0001))
            #expect(decoder.isPartial == false)
            let chunk = AudioChunk(format: decoder.format, samples: decoded)
            let middle = chunk.frames(rate / 2..<rate).channel(channels - 1)
            #expect(abs(Measure.toneDB(middle[...], frequency: 1_000, sampleRate: rate) - 20 * log10(0.5)) < 1)
            if !format.isLossy {
                #expect(Measure.correlation(chunk.channel(0), original.channel(0)) > 0.999)
            }
        }
    }

    @Test func reportsTheContainerAndEncodingByName() throws {
        try withScratchFolder { folder throws in
            let url = folder.appendingPathComponent("g711.wav")
            try Fixtures.write(Signals.sine(440, seconds: 0.2, format: .mono(8_000)), to: url, as: .mulaw)
            #expect(try FileDecoder(path: url.path).formatName == "WAV (Microsoft) / U-Law")
        }
    }

    @Test func chunksAreBoundedWhateverTheFileLength() throws {
        try withScratchFolder { folder throws in
            let url = folder.appendingPathComponent("long.wav")
            try Fixtures.write(Signals.noise(seconds: 30, format: .mono(16_000)), to: url, as: .pcm16)
            let decoder = try FileDecoder(path: url.path)
            var largest = 0
            var total = 0
            while let chunk = try decoder.read() {
                largest = max(largest, chunk.frameCount)
                total += chunk.frameCount
            }
            #expect(largest <= FileDecoder.chunkFrames)
            #expect(total == 30 * 16_000)
        }
    }
}
