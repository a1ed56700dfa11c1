import AudioCore
import AudioTesting
import CallAudio
import Foundation
import Testing

/// A class, so that `deinit` removes each test's scratch folder.
@Suite final class MP3EncoderTests {
    let folder: URL

    init() throws { folder = try Fixtures.scratchFolder() }

    deinit { Fixtures.removeScratchFolder(folder) }

    private func encode(
        _ audio: AudioChunk, _ encoding: Encoding = Encoding(), tags: Tags = Tags(), name: String = "out.mp3"
    ) throws -> (URL, MP3Encoder) {
        let url = folder.appendingPathComponent(name)
        let encoder = try MP3Encoder(path: url.path, format: audio.format, encoding: encoding, tags: tags)
        try ReplaySource(audio, framesPerChunk: 4096).drain(into: encoder)
        return (url, encoder)
    }

    @Test func decodesBackToTheExactDurationWithAnInfoFrame() throws {
        let audio = Signals.speechLike(seconds: 7.3, format: .mono(16_000))
        let (url, encoder) = try encode(audio)
        let decoded = try Fixtures.read(url)
        #expect(abs(decoded.duration - encoder.duration) < 0.030)
        #expect(abs(encoder.duration - 7.3) < 0.0001)
        let inspector = try MP3Inspector(url)
        #expect(inspector.infoTag != nil)
        #expect(inspector.hasLAMEExtension, "encoder delay and padding for gapless, exact-length playback")
        let samplesCovered = try #require(inspector.declaredFrames) * 576  // MPEG-2 layer III: 576 per frame
        #expect(samplesCovered >= 116_800 && samplesCovered <= 116_800 + 4 * 576)
        #expect(
            Measure.correlation(Array(decoded.samples[8_000..<100_000]), Array(audio.samples[8_000..<100_000])) > 0.8)
    }

    @Test func constantBitRateKeepsEveryAudioFrameAtTheChosenRate() throws {
        let audio = Signals.noise(amplitude: 0.2, seconds: 20, format: .mono(16_000))
        let (url, _) = try encode(audio)
        let bytes = try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int)
        let kbps = Double(bytes * 8) / 20 / 1000
        #expect(abs(kbps - 32) < 1, "\(kbps) kbit/s")
    }

    @Test func variableBitRateIsSmallerForQuietSpeech() throws {
        let audio = Signals.speechLike(seconds: 10, format: .stereo(16_000))
        let (cbr, _) = try encode(audio, name: "cbr.mp3")
        let (vbr, _) = try encode(audio, Encoding(vbrQuality: 9), name: "vbr.mp3")
        let size = { (url: URL) in try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int ?? 0 }
        #expect(try size(vbr) < size(cbr))
        #expect(try MP3Inspector(vbr).infoTag == "Xing")
        #expect(abs(try Fixtures.read(vbr).duration - 10) < 0.03)
    }

    @Test func writesTheTagsPlayersRead() throws {
        let tags = Tags(
            title: "Call with Zoë", artist: "Support line", date: "2026-11-21T10:15:00Z", comment: "escalated",
            callID: "c-4711", legRoles: ["caller", "agent"])
        let (url, _) = try encode(Signals.speechLike(seconds: 3.25, format: .mono(16_000)), tags: tags)
        let frames = try MP3Inspector(url).textFrames
        #expect(frames["TIT2"] == "Call with Zoë")
        #expect(frames["TPE1"] == "Support line")
        #expect(frames["TYER"] == "2026")
        #expect(frames["COMM"] == "escalated")
        #expect(frames["TLEN"] == "3250")
        #expect(frames["TXXX:CALL_ID"] == "c-4711")
        #expect(frames["TXXX:LEG_ROLES"] == "caller,agent")
        #expect(frames["TXXX:RECORDING_DATE"] == "2026-11-21T10:15:00Z")
    }

    /// Every rate and constant bit rate the encoder accepts gives a seek-exact file (LAME aborts the process
    /// on some combinations, so the accepted set must be exactly the safe one).
    @Test(arguments: [8_000, 11_025, 12_000, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000])
    func everyAcceptedRateAndBitRateIsSeekExact(rate: Int) throws {
        let speech = Signals.speechLike(seconds: 2, format: .mono(rate))
        let noisy = AudioChunk(
            format: speech.format,
            samples: zip(speech.samples, Signals.noise(amplitude: 0.05, seconds: 2, format: .mono(rate)).samples).map(+)
        )
        for kbps in [8, 16, 24, 32, 48, 64, 96, 128] {
            let url = folder.appendingPathComponent("sweep-\(rate)-\(kbps).mp3")
            guard MP3Encoder.canHoldInfoFrame(sampleRate: rate, constantKbps: kbps) else {
                #expect(throws: AudioError.self) {
                    _ = try MP3Encoder(
                        path: url.path, format: noisy.format, encoding: Encoding(bitrate: kbps), tags: Tags())
                }
                continue
            }
            let encoder = try MP3Encoder(
                path: url.path, format: noisy.format, encoding: Encoding(bitrate: kbps), tags: Tags())
            try ReplaySource(noisy, framesPerChunk: 4096).drain(into: encoder)
            #expect(try MP3Inspector(url).infoTag != nil, "\(rate) Hz, \(kbps) kbit/s")
        }
    }

    @Test func anAbandonedEncoderLeavesNothingBehind() throws {
        let url = folder.appendingPathComponent("abandoned.mp3")
        do {
            let encoder = try MP3Encoder(path: url.path, format: .mono(16_000), encoding: Encoding(), tags: Tags())
            try encoder.write(Signals.noise(seconds: 1, format: .mono(16_000)))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }
}
