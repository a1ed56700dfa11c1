import AudioCore
import AudioTesting
import CallAudio
import CallHTTP
import Foundation
import Testing

@testable import CallTranscription

/// The embedded Moonshine engine on real human telephone speech: prompts of Debian's `asterisk-core-sounds-en-wav`
/// (one voice actor, 8 kHz), sent through mu-law as a phone line would, scored against the package's own script.
/// It needs the engine: `scripts/install-moonshine.sh` (which `scripts/test.sh` runs).
@Suite(.serialized) struct MoonshineTranscriberTests {
    static let sounds = URL(fileURLWithPath: "/usr/share/asterisk/sounds/en_US_f_Allison")
    static let script = "/usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz"
    /// Prompts of a few words to a few sentences, with no numbers (whose spelling is another test's business).
    static let prompts = [
        "agent-alreadyon", "cannot-complete-as-dialed", "check-number-dial-again", "conf-full",
        "all-circuits-busy-now", "auth-incorrect", "conf-getchannel", "conf-extended",
    ]

    /// `name: text` lines of the package's script.
    static func scriptLines() throws -> [String: String] {
        // Through `ExternalTool`, not Foundation's `Process`: see `ChildProcess` for why.
        let script = try ExternalTool.output("/bin/zcat", [script])
        var lines: [String: String] = [:]
        for line in script.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":"), !line.hasPrefix(";") else { continue }
            lines[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return lines
    }

    @Test func transcribesRealTelephoneSpeechWithFewErrors() async throws {
        let texts = try Self.scriptLines()
        let references = try Self.prompts.map { name in try #require(texts[name], "\(name) is not in the script") }
        try await withScratchFolder { folder async throws in
            let legs = try Self.prompts.map { name in
                let leg = folder.appendingPathComponent(name + ".wav")
                try Fixtures.write(
                    try Fixtures.read(Self.sounds.appendingPathComponent(name + ".wav")), to: leg, as: .mulaw)
                return CallRecipe.Leg(path: leg.path, role: "caller")
            }
            let transcripts = try await offThePool {
                let transcriber = CallTranscriber(engine: try MoonshineTranscriber())
                return try legs.map { try transcriber.transcribe([$0]) }
            }
            for transcript in transcripts {
                #expect(transcript.engine == "moonshine" && transcript.model == "base-en")
                #expect(transcript.segments.allSatisfy { $0.start < $0.end && $0.speaker == "Caller" })
            }
            let hypotheses = transcripts.map { $0.segments.map(\.text).joined(separator: " ") }
            let wer = SpokenCall.wordErrorRate(
                hypotheses.joined(separator: " "), reference: references.joined(separator: " "))
            print("Moonshine WER on \(Self.prompts.count) Asterisk prompts through mu-law: \(wer)")
            #expect(wer <= 0.05, "word error rate \(wer): \(hypotheses)")
        }
    }

    @Test func anEmptyClipGivesNoSegmentsAndOtherLanguagesAreRefused() throws {
        let engine = try MoonshineTranscriber()
        #expect(try engine.transcribe(SpeechClip(start: 0, samples: [], language: "en")).isEmpty)
        let french = SpeechClip(start: 0, samples: [0, 0], language: "fr")
        #expect(throws: TranscriptionError.self) { try engine.transcribe(french) }
    }

    /// The model as ONNX Runtime lists it through the declared C API: the names and shapes the decoder relies on.
    @Test func listsTheModelsInputsAndOutputs() throws {
        let installation = try MoonshineInstallation.locate()
        let model = try MoonshineModel(installation, threads: 1)
        #expect(model.encoder.inputs.map(\.description) == ["input_values float [batch_size, num_samples]"])
        #expect(model.encoder.outputs.first?.name == "last_hidden_state")
        let inputs = model.decoder.inputs.map(\.description)
        #expect(inputs.count == 8 * 4 + 3)
        #expect(inputs.contains("input_ids int64 [batch_size, decoder_sequence_length]"))
        #expect(inputs.contains("use_cache_branch bool [1]"))
        #expect(
            inputs.contains("past_key_values.7.decoder.key float [batch_size, 8, past_decoder_sequence_length, 52]"))
        #expect(model.decoder.outputs.first?.description == "logits float [batch_size, decoder_sequence_length, 32768]")
        #expect(try OnnxRuntime.load(installation.runtimePath).version == "1.22.1")
    }

    @Test func greedyDecodingStopsAtTheTokenLimit() throws {
        let installation = try MoonshineInstallation.locate()
        let model = try MoonshineModel(installation, threads: 1)
        var samples: [Float] = []
        try CallRecipe.Leg(path: Self.sounds.appendingPathComponent("conf-full.wav").path)
            .forEachSpeechSpan(sampleRate: 16_000, denoise: .off) { samples += $0.samples }
        let whole = try model.decode(samples, limit: 40)
        #expect(whole.finished && whole.tokens.count > 3)
        let cut = try model.decode(samples, limit: 2)
        #expect(!cut.finished && cut.tokens == Array(whole.tokens.prefix(2)))
    }

    @Test func aLoopingTailIsCutToOneOccurrence() {
        #expect(MoonshineTranscriber.cuttingRepetition([5, 6, 7, 8, 7, 8, 7, 8, 7]) == [5, 6, 7, 8, 7])
        #expect(MoonshineTranscriber.cuttingRepetition([5, 6, 7, 8, 7, 8, 7, 8]) == [5, 6, 7, 8])
        #expect(MoonshineTranscriber.cuttingRepetition([4, 1, 1, 1, 1, 1]) == [4, 1])
        #expect(MoonshineTranscriber.cuttingRepetition([4, 1, 1, 2]) == [4, 1, 1, 2])
        #expect(MoonshineTranscriber.cuttingRepetition([1, 1]) == [1, 1])
    }

    /// A stretch read in halves is cut in the quiet between words, not in a word.
    @Test func halvesAreCutAtTheQuietestPointOfTheMiddleThird() {
        var samples = [Float](repeating: 0.5, count: 48_000)
        for index in 20_000..<20_320 { samples[index] = 0.01 }
        let cut = MoonshineTranscriber.quietestPoint(in: samples[...])
        #expect((20_000..<20_320).contains(cut))
        #expect(MoonshineTranscriber.quietestPoint(in: samples[16_000...]) >= 16_000 + 32_000 / 3)
    }

    @Test func tokenizerReadsOneAndTwoByteLengths() throws {
        let long = [UInt8](repeating: UInt8(ascii: "a"), count: 200)
        let bytes: [UInt8] = [0, 3] + Array("<s>".utf8) + [5] + Array("\u{2581}hi".utf8) + [200 - 128 + 128, 1] + long
        let tokenizer = try MoonshineTokenizer(data: bytes)
        #expect(tokenizer.tokens.count == 4 && tokenizer.tokens[0].isEmpty && tokenizer.tokens[3] == long)
        #expect(tokenizer.text(of: [1, 2, 2]) == "hi hi")
        #expect(throws: TranscriptionError.self) { try MoonshineTokenizer(data: [9, 1, 2]) }
    }

    @Test func missingInstallationIsOneLineSayingHowToInstall() throws {
        try withScratchFolder { folder throws in
            let environment = [MoonshineInstallation.environmentVariable: folder.path]
            let error = try #require(throws: TranscriptionError.self) {
                try TranscriberChoice.moonshine.makeTranscriber(environment: environment, transport: NIOHTTPTransport())
            }
            #expect(error.kind == .misconfigured)
            #expect(error.description.contains("scripts/install-moonshine.sh"), "\(error)")
            #expect(!error.description.contains("\n"))
            // Not installed, and no server: the default is pocketsphinx, saying how to get Moonshine.
            let (choice, explanation) = try TranscriberChoice.resolve(nil, environment: environment)
            #expect(choice == .pocketsphinx)
            #expect(explanation.contains("scripts/install-moonshine.sh"))
        }
    }

    @Test func damagedFileIsRefusedBeforeLoading() throws {
        let installed = try MoonshineInstallation.locate()
        try withScratchFolder { folder throws in
            for (name, _) in MoonshineInstallation.pinnedFiles {
                try FileManager.default.createSymbolicLink(
                    atPath: folder.appendingPathComponent(name).path, withDestinationPath: installed.folder + "/" + name
                )
            }
            let tokenizer = folder.appendingPathComponent(MoonshineInstallation.tokenizerName)
            var bytes = try Data(contentsOf: tokenizer)
            bytes[100] ^= 0xFF
            try FileManager.default.removeItem(at: tokenizer)
            try bytes.write(to: tokenizer)
            let error = try #require(throws: AudioError.self) { try MoonshineInstallation(folder: folder.path) }
            #expect(error.code == .unsupportedFormat)
            #expect(error.description.contains("damaged or not the pinned Moonshine file"), "\(error)")
            // A damaged installation is an error, not a quiet fall back to pocketsphinx.
            #expect(throws: TranscriptionError.self) {
                try TranscriberChoice.resolve(
                    nil, environment: [MoonshineInstallation.environmentVariable: folder.path])
            }
        }
    }

    @Test func isTheDefaultWhereInstalledAndNoServerIsSet() throws {
        let installed = try MoonshineInstallation.locate()
        let environment = [MoonshineInstallation.environmentVariable: installed.folder]
        #expect(try TranscriberChoice.resolve(nil, environment: environment).choice == .moonshine)
        #expect(try TranscriberChoice(parsing: "moonshine") == .moonshine)
        let withServer = environment.merging([TranscriberChoice.urlEnvironmentVariable: "http://127.0.0.1:9/v1"]) {
            $1
        }
        #expect(try TranscriberChoice.resolve(nil, environment: withServer).choice != .moonshine)
    }
}
