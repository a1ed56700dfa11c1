import AudioCore
import AudioTesting
import CallAudio
import Foundation
import Testing

/// DeepFilterNet3 on recorded speech (the sample voicemail) with white noise, at telephone, wideband and
/// fullband rates. It needs the runtime: `scripts/install-deepfilter.sh` (which `scripts/test.sh` runs).
@Suite struct DeepNoiseSuppressorTests {
    /// The sample voicemail at `rate` with a second of silence before and after, and the same with noise
    /// 20 dB under the speech; `speech` and `gaps` are the 20 ms frames where the clean signal is loud or silent.
    struct NoisySpeech {
        var clean: [Float]
        var noisy: [Float]
        var speech: [Range<Int>]
        var gaps: [Range<Int>]
    }

    static func noisySpeech(rate: Int) throws -> NoisySpeech {
        let voicemail = try Fixtures.read(
            Fixtures.packageRoot.appendingPathComponent("samples/voicemail.flac"))
        let speech = try run(
            Resampler(from: voicemail.format, toSampleRate: rate), voicemail.samples, format: voicemail.format)
        let silence = [Float](repeating: 0, count: rate)
        let clean = silence + speech + silence
        let noise = SpeechLike.whiteNoise(count: clean.count, dBFS: Level.dBFS(speech) - 20, seed: 11)
        let frame = rate / 50
        var loud: [Range<Int>] = []
        var quiet: [Range<Int>] = []
        // Judge after the first half second, when the model has heard the noise alone.
        for start in stride(from: rate / 2, to: clean.count - frame, by: frame) {
            let range = start..<(start + frame)
            let level = Level.dBFS(clean, over: [range])
            if level > Level.dBFS(speech) - 10 { loud.append(range) }
            // Silent, and 100 ms away from any speech, so the model's look-ahead and release are not counted.
            let around = max(0, start - rate / 10)..<min(clean.count, start + frame + rate / 10)
            if Measure.peakDBFS(clean[around]) < -80 { quiet.append(range) }
        }
        return NoisySpeech(clean: clean, noisy: zip(clean, noise).map(+), speech: loud, gaps: quiet)
    }

    @Test(arguments: [8_000, 16_000, 48_000])
    func removesNoiseKeepsSpeechAndTiming(rate: Int) throws {
        let input = try Self.noisySpeech(rate: rate)
        let output = try run(DeepNoiseSuppressor(format: .mono(rate)), input.noisy, format: .mono(rate))
        #expect(output.count == input.noisy.count)
        let noiseDrop = Level.dBFS(input.noisy, over: input.gaps) - Level.dBFS(output, over: input.gaps)
        let speechChange = Level.dBFS(output, over: input.speech) - Level.dBFS(input.clean, over: input.speech)
        #expect(noiseDrop >= 20, "noise in the gaps down \(noiseDrop) dB at \(rate) Hz")
        #expect(abs(speechChange) <= 1, "speech changed by \(speechChange) dB at \(rate) Hz")
        let lag = Self.lag(of: output, behind: input.clean, within: rate / 100)
        #expect(abs(lag) <= rate / 1_000, "output lags the clean speech by \(lag) samples at \(rate) Hz")
    }

    /// The lag, within ±`limit` samples, at which `output` best matches `reference`.
    static func lag(of output: [Float], behind reference: [Float], within limit: Int) -> Int {
        func correlation(_ lag: Int) -> Double {
            var sum = 0.0
            for n in max(0, -lag)..<min(reference.count, output.count - lag) {
                sum += Double(reference[n]) * Double(output[n + lag])
            }
            return sum
        }
        return (-limit...limit).max { correlation($0) < correlation($1) }!
    }

    @Test func sameOutputWhateverTheChunking() throws {
        let noisy = try Self.noisySpeech(rate: 16_000).noisy
        let audio = AudioChunk(format: .mono(16_000), samples: Array(noisy[16_000..<32_000]))
        let difference = try ChunkBoundaryVerifier.maximumDifference(audio) {
            try DeepNoiseSuppressor(format: .mono(16_000))
        }
        #expect(difference == 0)
    }

    @Test func rejectsStereoAndLimitsOutOfRange() {
        #expect(throws: AudioError.self) { try DeepNoiseSuppressor(format: .stereo(16_000)) }
        #expect(throws: AudioError.self) { try DeepNoiseSuppressor(format: .mono(16_000), attenuationLimit: 0) }
    }
}

/// A missing or damaged installation is an error that names the file and says how to install, never a crash
/// (the runtime aborts the process on a damaged model, so the files are checked before it sees them).
@Suite struct DeepFilterInstallationTests {
    let installed: DeepFilterInstallation

    init() throws { installed = try DeepFilterInstallation.locate() }

    @Test func missingFolderSaysHowToInstall() throws {
        try withScratchFolder("deepfilter-missing") { scratch throws in
            let folder = scratch.path
            let error = #expect(throws: AudioError.self) { try DeepFilterInstallation(folder: folder) }
            #expect(error?.code == .fileNotFound)
            #expect(error?.description.contains("scripts/install-deepfilter.sh") == true)
            #expect(error?.path == folder + "/" + DeepFilterInstallation.libraryName)
        }
    }

    @Test(arguments: [DeepFilterInstallation.modelName, DeepFilterInstallation.libraryName])
    func damagedFileIsRejected(damaged name: String) throws {
        try withScratchFolder("deepfilter-damaged") { folder throws in
            for file in [DeepFilterInstallation.libraryName, DeepFilterInstallation.modelName] {
                let copy = folder.appendingPathComponent(file)
                try FileManager.default.copyItem(at: URL(fileURLWithPath: installed.folder + "/" + file), to: copy)
                if file == name { try Data(try Data(contentsOf: copy).prefix(100_000)).write(to: copy) }
            }
            let error = #expect(throws: AudioError.self) {
                try DeepNoiseSuppressor(
                    format: .mono(8_000), installation: DeepFilterInstallation(folder: folder.path))
            }
            #expect(error?.code == .unsupportedFormat)
            #expect(error?.path == folder.appendingPathComponent(name).path)
        }
    }

    @Test func environmentVariableNamesTheFolder() throws {
        let found = try DeepFilterInstallation.locate(environment: [
            DeepFilterInstallation.environmentVariable: installed.folder
        ])
        #expect(found == installed)
        #expect(throws: AudioError.self) {
            try DeepFilterInstallation.locate(environment: [DeepFilterInstallation.environmentVariable: "/nonexistent"])
        }
    }
}
