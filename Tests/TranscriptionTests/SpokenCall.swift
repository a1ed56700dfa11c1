import AudioCore
import AudioTesting
import CallAudio
import CallTranscription
import Foundation
import Testing

/// Test calls made of known sentences spoken by espeak-ng, placed at known times on telephone-band legs.
enum SpokenCall {
    struct Line {
        var text: String
        /// Seconds on the call's timeline at which the sentence starts.
        var start: Double
        var leg: Int
    }

    /// Two legs speaking alternately: the caller (leg 0) and the agent (leg 1, which starts 1 s into the call).
    static let lines = [
        Line(text: "I would like to cancel my account", start: 1.0, leg: 0),
        Line(text: "I can refund that today", start: 5.0, leg: 1),
        Line(text: "thank you very much", start: 9.5, leg: 0),
    ]
    static let agentOffset = 1.0

    /// Speech of `text` by espeak-ng at `rate`, mono, with the voice's own leading silence trimmed.
    static func speak(_ text: String, rate: Int) throws -> [Float] {
        let folder = try Fixtures.scratchFolder("spoken")
        defer { Fixtures.removeScratchFolder(folder) }
        let wav = folder.appendingPathComponent("line.wav")
        _ = try ExternalTool.output("/usr/bin/espeak-ng", ["-s", "150", "-w", wav.path, text])
        let stream = try FileDecoder(path: wav.path, preferredSampleRate: rate).resampled(to: rate)
        var samples: [Float] = []
        while let chunk = try stream.read() { samples += chunk.samples }
        let first = samples.firstIndex { abs($0) > 0.01 } ?? 0
        return Array(samples[first...])
    }

    /// Writes the legs as 8 kHz mu-law WAV files (as a phone system records them) into `folder` and returns
    /// the call's legs with roles and offsets.
    static func writeLegs(to folder: URL, noise: Float = 0) throws -> [CallRecipe.Leg] {
        let rate = 8_000
        let seconds = 13.0
        var legs = [[Float]](repeating: [Float](repeating: 0, count: Int(seconds) * rate), count: 2)
        for line in lines {
            let legStart = line.start - (line.leg == 1 ? agentOffset : 0)
            let at = Int(legStart * Double(rate))
            for (i, sample) in try speak(line.text, rate: rate).enumerated() where at + i < legs[line.leg].count {
                legs[line.leg][at + i] += sample * 0.7
            }
        }
        if noise > 0 {
            for leg in legs.indices {
                let hiss = Signals.noise(amplitude: noise, seconds: seconds, format: .mono(rate), seed: UInt64(leg + 3))
                legs[leg] = zip(legs[leg], hiss.samples).map(+)
            }
        }
        let roles = ["caller", "agent"]
        return try legs.enumerated().map { index, samples in
            let url = folder.appendingPathComponent("\(roles[index]).wav")
            try Fixtures.write(AudioChunk(format: .mono(rate), samples: samples), to: url, as: .mulaw)
            return CallRecipe.Leg(path: url.path, offset: index == 1 ? agentOffset : 0, role: roles[index])
        }
    }

    /// Word error rate of `hypothesis` against `reference`: word-level edit distance over reference length.
    static func wordErrorRate(_ hypothesis: String, reference: String) -> Double {
        let normalise = { (text: String) in
            text.lowercased().split { !$0.isLetter && $0 != "'" }.map(String.init)
        }
        let (h, r) = (normalise(hypothesis), normalise(reference))
        return Double(TranscriptScore.editDistance(h, r)) / Double(max(1, r.count))
    }

    /// Checks a transcript of the call `writeLegs` made: segments in time order, every line heard from its own
    /// leg's speaker within 0.5 s of where it was placed, and words timed inside their segment (give or take
    /// `wordSlack` seconds).
    static func expectTimedAndAttributed(_ transcript: Transcript, wordSlack: Double) {
        #expect(transcript.segments.map(\.start) == transcript.segments.map(\.start).sorted())
        for line in lines {
            let speaker = line.leg == 0 ? "Caller" : "Agent"
            let heard = transcript.segments.filter { abs($0.start - line.start) <= 0.5 }
            #expect(!heard.isEmpty, "nothing heard at \(line.start) s: \(transcript.plainText)")
            #expect(heard.allSatisfy { $0.speaker == speaker && $0.leg == line.leg }, "\(heard)")
        }
        for segment in transcript.segments {
            #expect(
                segment.words.allSatisfy {
                    $0.start >= segment.start - wordSlack && $0.end <= segment.end + wordSlack
                })
        }
    }
}
