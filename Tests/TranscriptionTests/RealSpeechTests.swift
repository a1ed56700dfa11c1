import AudioCore
import AudioTesting
import CallAudio
import CallHTTP
import Foundation
import Testing

@testable import CallTranscription

/// Real telephone speech (the Asterisk prompts, `RealSpeechSet`) through the default engine: the bundled Whisper
/// server, started once for the suite, behind `CallTranscriber` as the CLI, the workers and the service run it.
/// Transcription runs off Swift concurrency's threads (`offThePool`): minutes of it there would stall the suite's
/// live servers and their clients.
@Suite struct RealSpeechTests {
    /// The set, built once for the suite into a scratch folder.
    static let set = Result { try RealSpeechSet.build(into: try Fixtures.scratchFolder("real-speech")) }

    /// The transcript of `recording` by `engine` (the Whisper server, or the embedded Moonshine) and, leg by leg,
    /// what it heard there.
    static func transcribe(_ recording: RealSpeechSet.Recording, engine name: String = "whisper") throws
        -> (Transcript, heard: [String])
    {
        let engine: any Transcriber =
            name == "moonshine"
            ? try MoonshineTranscriber()
            : try OpenAITranscriber(baseURL: try WhisperTestServer.baseURL(), transport: NIOHTTPTransport())
        let legs = recording.legs.map { CallRecipe.Leg(path: $0.file.path, offset: $0.offset, role: $0.role) }
        let transcript = try CallTranscriber(engine: engine).transcribe(legs)
        let heard = recording.legs.indices.map { leg in
            transcript.segments.filter { $0.leg == leg }.map(\.text).joined(separator: " ")
        }
        return (transcript, heard)
    }

    /// The goal is at most 3% of words wrong, which the bundled Whisper server (tiny.en, stretches of speech joined
    /// into clips of up to 28 s) holds: 0 of 216 on the long leg, 4 of 214 (1.9%) on the call. Moonshine's goal is
    /// to be within one point of it: at most 1% and 2.9%; read stretch by stretch with a little silence after
    /// each, it gets 1 of 216 and 5 of 214 (benchmarks/RESULTS.md, section 21).
    @Test(arguments: [("whisper", 0.03, 0.03), ("moonshine", 0.01, 0.029)])
    func theLongLegAndTheTwoLegCallHaveFewWordsWrong(engine: String, longLegLimit: Double, callLimit: Double)
        async throws
    {
        let set = try Self.set.get()
        for (recording, limit) in [(set.longLeg, longLegLimit), (set.call, callLimit)] {
            let (_, heard) = try await offThePool { try Self.transcribe(recording, engine: engine) }
            let errors = zip(heard, recording.legs).map { TranscriptScore.wordErrors($0, reference: $1.reference) }
                .reduce(TranscriptScore.Errors(), +)
            print("real speech, \(engine), \(recording.name) (\(Int(recording.seconds)) s): words wrong \(errors)")
            #expect(errors.rate <= limit, "\(recording.name): words wrong \(errors): \(heard)")
        }
    }

    /// At most 2% of digits wrong, which also catches a repetition loop ("4 1 1 1 1 1 ..." adds digits).
    @Test(arguments: ["whisper", "moonshine"]) func numbersReadDigitByDigitComeOutRight(engine: String) async throws {
        let numbers = try Self.set.get().numbers
        let (_, heard) = try await offThePool { try Self.transcribe(numbers, engine: engine) }
        let errors = TranscriptScore.digitErrors(heard[0], reference: numbers.legs[0].reference)
        print("real speech, \(engine), numbers (\(Int(numbers.seconds)) s): digits wrong \(errors)\n\(heard[0])")
        #expect(errors.rate <= 0.02, "digits wrong \(errors): \(heard[0]) (said: \(numbers.legs[0].reference))")
    }

    /// The call's caller leg under steady noise (uniform, -24.8 dBFS RMS) is read cleaned by webrtc, raw and
    /// cleaned by DeepFilterNet3, as the CLI, the workers and the service read a leg whose noise floor says it is
    /// noisy, and the readings are voted on word by word: the vote loses fewer words than the raw reading. The clean
    /// leg is read raw.
    @Test func aNoisyLegIsReadThreeWaysAndTheVoteLosesFewerWords() async throws {
        let caller = try Self.set.get().call.legs[0]
        let audio = try Fixtures.read(caller.file)
        let hiss = Signals.noise(amplitude: 0.1, seconds: audio.duration, format: audio.format, seed: 26)
        let noisy = try Fixtures.scratchFolder("noisy-leg").appendingPathComponent("noisy-caller.wav")
        try Fixtures.write(
            AudioChunk(format: audio.format, samples: zip(audio.samples, hiss.samples).map(+)), to: noisy, as: .mulaw)
        let leg = CallRecipe.Leg(path: noisy.path, role: "caller")
        #expect(try CallTranscriber.cleanup(for: leg) == .moderate)
        #expect(try CallTranscriber.cleanup(for: CallRecipe.Leg(path: caller.file.path, role: "caller")) == .off)

        let url = try await offThePool { try WhisperTestServer.baseURL() }
        let (keptTranscript, raw) = try await offThePool {
            let engine = try OpenAITranscriber(baseURL: url, transport: NIOHTTPTransport())
            let read = { (denoise: NoiseSuppressor.Level?) in
                try CallTranscriber(engine: engine, denoise: denoise, readsWithDeepFilter: true).transcribe([leg])
            }
            return (try read(nil), try read(.off).segments.map(\.text).joined(separator: " "))
        }
        #expect(keptTranscript.cleanup.map { [[.moderate], [.off], [.deep]].contains($0) } == true)
        let kept = keptTranscript.segments.map(\.text).joined(separator: " ")
        let keptErrors = TranscriptScore.wordErrors(kept, reference: caller.reference)
        let rawErrors = TranscriptScore.wordErrors(raw, reference: caller.reference)
        print(
            "real speech, whisper, noisy caller leg: words wrong \(keptErrors) voted (from \(keptTranscript.cleanup?.map(\.rawValue) ?? [])),"
                + " \(rawErrors) raw")
        #expect(keptErrors.edits < rawErrors.edits, "voted: \(kept)\nraw: \(raw)")
    }
}
