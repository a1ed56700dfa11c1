import AudioCore
import AudioTesting
import CallVoicemail
import Foundation
import MailTesting
import Testing

@Suite struct VoicemailCommandTests {
    static let sample = Fixtures.packageRoot.appendingPathComponent("samples/voicemail.flac")

    static func arguments(_ input: URL, output: URL, callerName: String = "Zoë Müller") -> [String] {
        [
            "voicemail", input.path, "--to", "user@example.com", "--from", "voicemail@example.com",
            "--caller-number", "+15551234567", "--caller-name", callerName, "--mailbox", "Sales",
            "--received", "2026-11-22T09:12:00-05:00", "--transcribe", "--output", output.path, "--json",
        ]
    }

    /// The bundled voicemail with 2 s of faint hiss before it and 3 s after.
    static func paddedSample(in folder: URL) async throws -> URL {
        let speech = try Fixtures.read(sample)
        let format = speech.format
        let before = Signals.noise(amplitude: 0.0005, seconds: 2, format: format).samples
        let after = Signals.noise(amplitude: 0.0005, seconds: 3, format: format, seed: 9).samples
        let url = folder.appendingPathComponent("padded.wav")
        try Fixtures.write(AudioChunk(format: format, samples: before + speech.samples + after), to: url, as: .pcm16)
        return url
    }

    /// The bundled voicemail as an iPhone would have recorded it (AAC in an M4A file) comes out as the FLAC does.
    @Test func aVoicemailInAnM4AIsReadLikeAnyOther() async throws {
        try await withScratchFolder { folder async throws in
            let m4a = folder.appendingPathComponent("voicemail.m4a")
            try Fixtures.encodeM4A(Self.sample, to: m4a)
            var reports: [VoicemailReport] = []
            for input in [Self.sample, m4a] {
                let result = try await CLIRunner.run(
                    Self.arguments(input, output: folder.appendingPathComponent(input.pathExtension))
                        + ["--transcriber", "http://127.0.0.1:9/v1"])
                #expect(result.status == 0, "\(input.lastPathComponent): \(result.stderr)")
                reports.append(try JSONDecoder.iso8601.decode(VoicemailReport.self, from: Data(result.stdout.utf8)))
            }
            #expect(reports[1].audio.legs.map(\.format) == ["MP4 / AAC LC"])
            #expect(reports[1].audio.legs.map(\.completeness) == [.whole])
            #expect(abs(reports[1].audio.duration - reports[0].audio.duration) < 0.05)
        }
    }

    @Test func writesATrimmedSmallMP3AndAStandardEmailCarryingItsExactBytes() async throws {
        try await withScratchFolder { folder async throws in
            // An engine that cannot be used leaves the email saying so; the message itself is still delivered.
            let plain = try await CLIRunner.run(
                Self.arguments(Self.sample, output: folder.appendingPathComponent("plain"))
                    + ["--transcriber", "http://127.0.0.1:9/v1"])
            #expect(plain.status == 0, "\(plain.stderr)")
            let output = folder.appendingPathComponent("padded")
            let result = try await CLIRunner.run(Self.arguments(try Self.paddedSample(in: folder), output: output))
            #expect(result.status == 0, "\(result.stderr)")
            let report = try JSONDecoder.iso8601.decode(VoicemailReport.self, from: Data(result.stdout.utf8))
            let plainReport = try JSONDecoder.iso8601.decode(VoicemailReport.self, from: Data(plain.stdout.utf8))

            // The 5 s of padding are trimmed away, up to the 250 ms kept on each side (which the unpadded message,
            // starting and ending close to its words, may lack).
            #expect(report.audio.duration > plainReport.audio.duration - 0.05)
            #expect(report.audio.duration < plainReport.audio.duration + 0.5)
            let mp3 = output.appendingPathComponent("voicemail.mp3")
            let decoded = try Fixtures.read(mp3)
            #expect(decoded.format == .mono(16_000))
            #expect(abs(decoded.duration - report.audio.duration) < 0.03)
            let kbps = Double(try Data(contentsOf: mp3).count) * 8 / decoded.duration / 1000
            #expect(kbps < 34)
            let onset = try #require(Measure.onset(decoded.samples, threshold: 0.01))
            #expect(decoded.format.seconds(forFrames: onset) < 0.35)

            let eml = try Data(contentsOf: output.appendingPathComponent("voicemail.eml"))
            let parsed = try ParsedEmail.parse(eml)
            #expect(parsed.defects.isEmpty)
            #expect(parsed.attachment?.data == (try Data(contentsOf: mp3)))
            #expect(parsed.attachment?.filename == "voicemail-2026-11-22-0912-+15551234567.mp3")
            #expect(parsed.value("Subject") == "New voicemail from Zoë Müller (+1 555-123-4567), 0:10")
            #expect(parsed.value("Message-ID") == "<\(report.email.messageID)>")
            #expect(report.email.messageID == plainReport.email.messageID)
            // The embedded engine's words are in both bodies; the message without an engine says it has none.
            #expect(report.transcript.status == .done)
            let firstWord = try #require(report.transcript.text?.split(separator: " ").first.map(String.init))
            #expect(parsed.text?.contains(firstWord) == true)
            #expect(parsed.html?.contains(firstWord) == true)
            #expect(plainReport.transcript.status != .done)
            let plainEmail = try ParsedEmail.parse(
                try Data(contentsOf: folder.appendingPathComponent("plain").appendingPathComponent("voicemail.eml")))
            #expect(plainEmail.text?.contains("Transcription unavailable") == true)
            #expect(report.email.bytes == eml.count)
            #expect(report.audio.outputs.map(\.path) == [mp3.path])
            let names = try FileManager.default.contentsOfDirectory(atPath: output.path).sorted()
            #expect(names == ["voicemail.eml", "voicemail.json", "voicemail.mp3", "voicemail.waveform.json"])
            #expect(report.audio.waveform == output.appendingPathComponent("voicemail.waveform.json").path)
        }
    }

    @Test func aCallerNameWithLineBreaksAddsNoHeaderOrRecipient() async throws {
        try await withScratchFolder { folder async throws in
            let result = try await CLIRunner.run(
                Self.arguments(Self.sample, output: folder, callerName: "Eve\r\nBcc: x@evil.example\r\nX-Evil: 1"))
            #expect(result.status == 0, "\(result.stderr)")
            let parsed = try ParsedEmail.parse(try Data(contentsOf: folder.appendingPathComponent("voicemail.eml")))
            #expect(parsed.recipients == ["user@example.com"])
            #expect(parsed.values("Bcc").isEmpty && parsed.values("X-Evil").isEmpty)
            #expect(
                parsed.value("Subject")?.hasPrefix("New voicemail from Eve Bcc: x@evil.example X-Evil: 1 (") == true)
        }
    }

    @Test func aBadAddressIsAUsageErrorAndAnUnreadableRecordingWritesNothing() async throws {
        try await withScratchFolder { folder async throws in
            var arguments = Self.arguments(Self.sample, output: folder)
            arguments[arguments.firstIndex(of: "user@example.com")!] = "user@example.com\r\nBcc: x@evil.example"
            let usage = try await CLIRunner.run(arguments)
            #expect(usage.status == 64)
            #expect(usage.stderr.contains("--to: not a usable email address"))

            let bad = folder.appendingPathComponent("vm.wav")
            try Data("not audio".utf8).write(to: bad)
            let output = folder.appendingPathComponent("out")
            let result = try await CLIRunner.run(Self.arguments(bad, output: output))
            #expect(result.status == 65)
            #expect(result.stderr == "callaudio: \(bad.path): not a readable audio file (Format not recognised.)\n")
            #expect((try? FileManager.default.contentsOfDirectory(atPath: output.path)) ?? [] == [])
        }
    }
}

extension JSONDecoder {
    static var iso8601: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
