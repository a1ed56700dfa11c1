import AudioCore
import AudioTesting
import CallAudio
import CallPrompts
import Foundation
import Testing

/// `callaudio prompt`'s processing, checked on the renditions' bytes with independent readers (ffprobe for the
/// containers and encodings, libsndfile for the samples) and on the audio itself.
@Suite struct PromptTests {
    static let samples = Fixtures.packageRoot.appendingPathComponent("samples")

    func run(_ program: String, _ arguments: [String]) throws -> String {
        try ExternalTool.output(program, arguments)
    }

    /// `codec_name,sample_rate,channels` of a file's first audio stream, as ffprobe reads it.
    func probe(_ url: URL) throws -> String {
        try run(
            "/usr/bin/ffprobe",
            [
                "-v", "error", "-select_streams", "a:0", "-show_entries", "stream=codec_name,sample_rate,channels",
                "-of", "csv=p=0", url.path,
            ])
    }

    /// Each rendition in `output` has its container, encoding and rate, as ffprobe reads them.
    func expectEveryRendition(in output: URL) throws {
        let expected = [
            "prompt-ulaw.wav": "pcm_mulaw,8000,1", "prompt-alaw.wav": "pcm_alaw,8000,1",
            "prompt-8k.wav": "pcm_s16le,8000,1", "prompt-16k.wav": "pcm_s16le,16000,1",
            "prompt.opus": "opus,48000,1", "prompt.mp3": "mp3,16000,1",
        ]
        for (file, stream) in expected.sorted(by: { $0.key < $1.key }) {
            #expect(try probe(output.appendingPathComponent(file)) == stream, "\(file)")
        }
    }

    /// A browser-style recording: the sample voicemail quietened by 12 dB, 1.2 s of silence before it and 1 s
    /// after, encoded as WebM/Opus by ffmpeg (as Chrome's MediaRecorder would).
    func browserRecording(in folder: URL) throws -> URL {
        let webm = folder.appendingPathComponent("greeting.webm")
        _ = try run(
            "/usr/bin/ffmpeg",
            [
                "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "anullsrc=r=48000:cl=mono", "-i",
                Self.samples.appendingPathComponent("voicemail.flac").path, "-filter_complex",
                "[0]atrim=0:1.2[a];[1]aresample=48000,volume=0.25[b];[0]atrim=0:1[c];[a][b][c]concat=n=3:v=0:a=1",
                "-c:a", "libopus", "-b:a", "48k", webm.path,
            ])
        return webm
    }

    /// The level of the louder parts of `samples`: the RMS over 20 ms frames within 30 dB of the loudest frame
    /// (a plain gate, not P.56, so that it checks the code rather than repeats it).
    func gatedLevel(_ samples: [Float], sampleRate: Int) -> Double {
        let frame = sampleRate / 50
        let energies = stride(from: 0, to: samples.count - frame, by: frame).map { start in
            samples[start..<start + frame].reduce(0.0) { $0 + Double($1) * Double($1) } / Double(frame)
        }
        let loudest = energies.max() ?? 0
        let active = energies.filter { $0 > loudest / 1_000 }
        return 10 * log10(active.reduce(0, +) / Double(max(active.count, 1)))
    }

    @Test func aWebMGreetingBecomesEveryRenditionLevelledAndTrimmed() throws {
        try withScratchFolder("callaudio-prompt") { folder throws in
            let webm = try browserRecording(in: folder)
            let decoded = try WebMOpusDecoder(path: webm.path)
            var ours: [Float] = []
            while let chunk = try decoded.read() { ours += chunk.samples }
            let probed = try #require(
                Double(
                    try run(
                        "/usr/bin/ffprobe",
                        ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", webm.path])))
            #expect(
                abs(Double(ours.count) / 48_000 - probed) < 0.025, "WebM decoded to \(Double(ours.count) / 48_000) s")
            // The same samples as ffmpeg gives with its own WebM demuxer and libopus, from the first one: the pre-skip
            // is dropped alike. (The end differs by the final packet's padding, which ffmpeg trims.)
            let reference = folder.appendingPathComponent("reference.wav")
            _ = try run(
                "/usr/bin/ffmpeg",
                [
                    "-hide_banner", "-loglevel", "error", "-y", "-c:a", "libopus", "-i", webm.path, "-c:a", "pcm_f32le",
                    reference.path,
                ])
            let theirs = try Fixtures.read(reference).samples
            let common = min(ours.count, theirs.count)
            #expect(abs(ours.count - theirs.count) < 960, "\(ours.count) samples against ffmpeg's \(theirs.count)")
            #expect(Measure.correlation(Array(ours.prefix(common)), Array(theirs.prefix(common))) > 0.9999)

            let output = folder.appendingPathComponent("prompt")
            let report = try PromptProcessor().run(
                PromptRecipe(input: webm.path, kind: .greeting, outputDirectory: output.path))
            let files = try FileManager.default.contentsOfDirectory(atPath: output.path).sorted()
            #expect(
                files == [
                    "prompt-16k.wav", "prompt-8k.wav", "prompt-alaw.wav", "prompt-ulaw.wav", "prompt.json",
                    "prompt.mp3",
                    "prompt.opus",
                ])
            try expectEveryRendition(in: output)

            let source = try Fixtures.read(Self.samples.appendingPathComponent("voicemail.flac"))
            let speechStart =
                Double(try #require(Measure.onset(source.samples, threshold: 0.01))) / Double(source.format.sampleRate)
            for name in ["prompt-16k.wav", "prompt-8k.wav", "prompt-ulaw.wav", "prompt-alaw.wav"] {
                let audio = try Fixtures.read(output.appendingPathComponent(name))
                let rate = audio.format.sampleRate
                #expect(Measure.peakDBFS(audio.samples) <= -3, "\(name) peaks above -3 dBFS")
                #expect(
                    abs(gatedLevel(audio.samples, sampleRate: rate) - PromptRecipe.defaultTargetLevel) <= 2, "\(name)")
                let onset = Double(try #require(Measure.onset(audio.samples, threshold: 0.0025 * 4))) / Double(rate)
                #expect(onset <= 0.1 + 0.02, "\(name): speech starts \(onset) s in")
                let trailing =
                    Double(audio.samples.count - (audio.samples.lastIndex { abs($0) >= 0.01 } ?? 0)) / Double(rate)
                #expect(trailing >= 0.2 && trailing <= 0.4, "\(name): \(trailing) s after the last speech")
            }
            #expect(abs(report.activeLevel - PromptRecipe.defaultTargetLevel) <= 1)
            #expect(report.peakDBFS <= -3)
            #expect(report.clippedSamples == 0)
            #expect(report.duration < probed - 1.2 - speechStart + 0.1)
            let json = try JSONDecoder().decode(
                PromptReport.self, from: Data(contentsOf: output.appendingPathComponent("prompt.json")))
            #expect(json == report)
            #expect(json.renditions.allSatisfy { ($0.bytes ?? 0) > 1_000 })
        }
    }

    /// An iPhone-style recording: the sample voicemail as AAC in an M4A file, encoded by ffmpeg.
    @Test func anM4AGreetingBecomesEveryRendition() throws {
        try withScratchFolder("callaudio-prompt") { folder throws in
            let m4a = folder.appendingPathComponent("greeting.m4a")
            try Fixtures.encodeM4A(Self.samples.appendingPathComponent("voicemail.flac"), to: m4a)
            let output = folder.appendingPathComponent("prompt")
            let report = try PromptProcessor().run(
                PromptRecipe(input: m4a.path, kind: .greeting, outputDirectory: output.path))
            #expect(report.renditions.count == 6)
            try expectEveryRendition(in: output)
            let audio = try Fixtures.read(output.appendingPathComponent("prompt-16k.wav"))
            #expect(Measure.peakDBFS(audio.samples) <= -3)
            #expect(abs(gatedLevel(audio.samples, sampleRate: 16_000) - PromptRecipe.defaultTargetLevel) <= 2)
            #expect(abs(audio.duration - report.duration) < 0.05)
            #expect(report.duration > 5, "\(report.duration) s of the sample voicemail")
        }
    }

    /// Refusals leave nothing in the output folder and name what is wrong.
    @Test(arguments: ["silence", "clipped", "long disclosure"])
    func anUnusablePromptIsRefusedAndLeavesNothing(_ problem: String) throws {
        try withScratchFolder("callaudio-prompt-refused") { folder throws in
            let input = folder.appendingPathComponent("input.wav")
            var kind = PromptKind.greeting
            let format = AudioFormat.mono(16_000)
            let expected: String
            switch problem {
            case "silence":
                var quiet = SpeechLike.whiteNoise(count: 16_000 * 6, dBFS: -75, seed: 3)
                quiet.replaceSubrange(
                    32_000..<32_800, with: Signals.sine(300, amplitude: 0.3, seconds: 0.05, format: format).samples)
                try Fixtures.write(AudioChunk(format: format, samples: quiet), to: input, as: .pcm16)
                expected = "almost all silence"
            case "clipped":
                let loud = Signals.speechLike(seconds: 4, format: format).samples.map { max(-1, min(1, $0 * 8)) }
                try Fixtures.write(AudioChunk(format: format, samples: loud), to: input, as: .float32)
                expected = "badly clipped"
            default:
                let talk = SpeechLike.talker(seconds: 20, sampleRate: 16_000, gap: 0.3)
                try Fixtures.write(AudioChunk(format: format, samples: talk.samples), to: input, as: .pcm16)
                kind = .disclosure
                expected = "a disclosure is at most 15.0 s"
            }
            let output = folder.appendingPathComponent("prompt")
            let recipe = PromptRecipe(
                input: input.path, kind: kind, outputDirectory: output.path,
                enhancement: Enhancement(denoise: .moderate))
            do {
                _ = try PromptProcessor().run(recipe)
                Issue.record("\(problem): accepted")
            } catch let error as AudioError {
                #expect(error.description.contains(expected), "\(error)")
                #expect(error.path == input.path)
            }
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: output.path)) ?? []).isEmpty)
        }
    }
}
