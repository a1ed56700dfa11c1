import AudioTesting
import CallAudio
import CallHTTP
import Foundation
import Testing

@testable import CallTranscription

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The bundled Whisper server (tools/whisper-server: faster-whisper with tiny.en, offline), started once for
/// the suite in its pinned environment, used for real by the `openai` engine and read back in every format.
@Suite struct WhisperServerTests {

    static func baseURL() throws -> String { try WhisperTestServer.baseURL() }

    @Test func theOpenAIEngineTranscribesATwoLegCallTimedAndAttributed() async throws {
        try await withScratchFolder { folder async throws in
            let legs = try SpokenCall.writeLegs(to: folder)
            let url = try await offThePool { try Self.baseURL() }
            let transcript = try await offThePool {
                try CallTranscriber(engine: try OpenAITranscriber(baseURL: url, transport: NIOHTTPTransport()))
                    .transcribe(legs)
            }
            #expect(transcript.engine == "openai")
            SpokenCall.expectTimedAndAttributed(transcript, wordSlack: 0.05)
            #expect(transcript.segments.allSatisfy { !$0.words.isEmpty }, "Whisper gives every segment its words")
            let reference = SpokenCall.lines.map(\.text).joined(separator: " ")
            let wer = SpokenCall.wordErrorRate(
                transcript.segments.map(\.text).joined(separator: " "), reference: reference)
            print("Whisper tiny.en (bundled server, openai engine) WER on the espeak-ng two-leg call: \(wer)")
            #expect(wer < 0.35, "word error rate \(wer): \(transcript.plainText)")
        }
    }

    /// Posts a spoken sentence asking for `format`; returns the status and body.
    static func transcription(_ format: String, file: Data) async throws -> (Int, Data) {
        let form = MultipartForm()
        form.addFile("file", filename: "line.wav", contentType: "audio/wav", data: file)
        form.addField("model", "whisper-1")
        form.addField("response_format", format)
        form.addField("timestamp_granularities[]", "word")
        let server = try await offThePool { try baseURL() }
        var request = URLRequest(url: URL(string: server + "/audio/transcriptions")!)
        request.httpMethod = "POST"
        request.setValue(form.contentType, forHTTPHeaderField: "Content-Type")
        return try await withCheckedThrowingContinuation { continuation in
            URLSession.shared.uploadTask(with: request, from: form.finished()) { data, response, error in
                if let response = response as? HTTPURLResponse {
                    continuation.resume(returning: (response.statusCode, data ?? Data()))
                } else {
                    continuation.resume(throwing: error ?? URLError(.badServerResponse))
                }
            }.resume()
        }
    }

    @Test func everyResponseFormatReadsBackWithAnIndependentParser() async throws {
        try await withScratchFolder { folder async throws in
            let sentence = "I would like to cancel my account"
            let speech = try SpokenCall.speak(sentence, rate: 16_000)
            let wav = WAVFile.pcm16(SpeechClip(start: 0, samples: speech, language: "en"))

            let (status, verbose) = try await Self.transcription("verbose_json", file: wav)
            #expect(status == 200)
            let object = try #require(try JSONSerialization.jsonObject(with: verbose) as? [String: Any])
            let segments = try #require(object["segments"] as? [[String: Any]])
            let words = try #require(object["words"] as? [[String: Any]])
            #expect(!segments.isEmpty && words.count >= 5)
            #expect(SpokenCall.wordErrorRate(object["text"] as? String ?? "", reference: sentence) < 0.3)

            let (_, json) = try await Self.transcription("json", file: wav)
            let text = try #require(
                (try JSONSerialization.jsonObject(with: json) as? [String: Any])?["text"] as? String)
            #expect(text == object["text"] as? String)
            let (_, plain) = try await Self.transcription("text", file: wav)
            #expect(String(decoding: plain, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == text)

            for format in ["vtt", "srt"] {
                let (status, body) = try await Self.transcription(format, file: wav)
                #expect(status == 200)
                let path = folder.appendingPathComponent("reply.\(format)")
                try body.write(to: path)
                let cues = try SubtitleParserTests().cues(path.path)
                #expect(cues.count == segments.count, "\(format)")
                #expect(cues.map(\.text).joined(separator: " ") == text, "\(format)")
                let first = try #require(segments.first?["start"] as? Double)
                #expect(abs((cues.first?.start ?? -1) - first) < 0.002, "\(format)")
            }
        }
    }

    @Test func badUploadsAreRefusedWithTheAPIsErrorShape() async throws {
        let (status, body) = try await Self.transcription("json", file: Data("not audio at all".utf8))
        #expect(status == 400)
        let error = (try JSONSerialization.jsonObject(with: body) as? [String: Any])?["error"] as? [String: Any]
        #expect((error?["message"] as? String)?.hasPrefix("file: cannot decode") == true)
    }
}
