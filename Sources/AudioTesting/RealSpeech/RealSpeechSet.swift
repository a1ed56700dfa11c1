import AudioCore
import Foundation

/// A test set of real telephone speech built from the Asterisk prompts (`AsteriskPrompts`), the same on every
/// run for a seed, written as 8 kHz mu-law WAV legs (as a phone system records them) into a scratch folder:
///
/// - **one long leg**: prompts one after another with pauses of 0.4 to 1.0 s;
/// - **a two-leg call**: two other sequences of prompts on two legs taking turns (one leg is silent while the
///   other speaks; 0.3 to 0.8 s between turns);
/// - **numbers read digit by digit**: phone numbers (3-3-4 digits) and order numbers (4-4 or 3-3 digits) from
///   the recordings in `digits/`, 150 to 400 ms between digits, 600 to 900 ms between groups and 1.5 to 2 s
///   between numbers.
///
/// The prompts: every prompt of the script at the top of the sounds folder (not `digits/`, `letters/`, ...)
/// with 4 to 20 words, shuffled with the seed; the long leg takes prompts until it holds `longLegSeconds` of
/// speech, the call then takes the next ones, turn by turn, until it holds `callSeconds`.
///
/// Built with `heldOut`, it also holds **the held-out leg**: every prompt the rest leaves unused, as the long leg
/// is made, for checking on speech the suite's figures were not tuned on that a decoding choice generalises.
public struct RealSpeechSet: Sendable {
    /// A recording of the set: its legs and what is said on them. It is scored leg by leg (the words of each
    /// leg against that leg's reference), since one engine's segment may span the other leg's turn.
    public struct Recording: Sendable {
        public var name: String
        public var legs: [Leg]
        /// The recording's length in seconds.
        public var seconds: Double
    }

    /// One leg's file and what is said on it.
    public struct Leg: Sendable {
        public var file: URL
        public var role: String
        public var offset: Double
        /// The script's words in the order spoken, or the numbers as digit groups ("555 123 4567").
        public var reference: String
    }

    public var longLeg: Recording
    public var call: Recording
    public var numbers: Recording
    /// The prompts none of the others uses, one after another; nil unless asked for.
    public var heldOut: Recording?

    public static let sampleRate = 8_000

    /// Builds the set into `folder`.
    /// - Throws: `Fixtures.FixtureError` when the Debian packages are missing or a file cannot be written.
    public static func build(
        into folder: URL, seed: UInt64 = 26, longLegSeconds: Double = 75, callSeconds: Double = 75,
        phoneNumbers: Int = 4, orderNumbers: Int = 4, heldOut: Bool = false
    ) throws -> RealSpeechSet {
        let prompts = try AsteriskPrompts.installed().prompts
        var random = SeededGenerator(seed: seed)
        var pool = prompts.filter { prompt in
            let words = prompt.text.split(separator: " ").count
            return !prompt.name.contains("/") && (4...20).contains(words)
        }.shuffled(using: &random)

        /// Prompts taken from the pool one after another until `seconds` of speech, written as `name`.wav.
        func promptLeg(_ name: String, seconds: Double) throws -> Recording {
            var leg = Track()
            while leg.speech < seconds, !pool.isEmpty {
                let prompt = pool.removeFirst()
                leg.append(try AsteriskPrompts.speech(of: prompt), saying: prompt.text)
                leg.pause(Double.random(in: 0.4...1.0, using: &random))
            }
            return Recording(
                name: name, legs: [try leg.write(to: folder.appendingPathComponent(name + ".wav"), role: "caller")],
                seconds: leg.seconds)
        }
        let longLeg = try promptLeg("long-leg", seconds: longLegSeconds)

        // The two-leg call: turns alternate between the caller and the agent.
        var turns = [Track(), Track()]
        var speaker = 0
        while turns[0].speech + turns[1].speech < callSeconds, !pool.isEmpty {
            let prompt = pool.removeFirst()
            let speech = try AsteriskPrompts.speech(of: prompt)
            turns[speaker].append(speech, saying: prompt.text)
            turns[1 - speaker].pause(speech.duration)
            let gap = Double.random(in: 0.3...0.8, using: &random)
            turns[0].pause(gap)
            turns[1].pause(gap)
            speaker = 1 - speaker
        }
        let call = Recording(
            name: "call",
            legs: [
                try turns[0].write(to: folder.appendingPathComponent("call-caller.wav"), role: "caller"),
                try turns[1].write(to: folder.appendingPathComponent("call-agent.wav"), role: "agent"),
            ], seconds: turns[0].seconds)

        // Numbers read digit by digit.
        let digits = try (0...9).map { digit in
            try AsteriskPrompts.speech(of: .init(name: "digits/\(digit)", text: "\(digit)"), margin: 0.02)
        }
        var numbersLeg = Track()
        numbersLeg.pause(0.5)
        let shapes =
            Array(repeating: [3, 3, 4], count: phoneNumbers)
            + (0..<orderNumbers).map { $0.isMultiple(of: 2) ? [4, 4] : [3, 3] }
        for shape in shapes {
            var groups: [String] = []
            for (index, length) in shape.enumerated() {
                if index > 0 { numbersLeg.pause(Double.random(in: 0.6...0.9, using: &random)) }
                var group = ""
                for position in 0..<length {
                    if position > 0 { numbersLeg.pause(Double.random(in: 0.15...0.4, using: &random)) }
                    let digit = Int.random(in: 0...9, using: &random)
                    numbersLeg.append(digits[digit], saying: "")
                    group += "\(digit)"
                }
                groups.append(group)
            }
            numbersLeg.said.append(groups.joined(separator: " "))
            numbersLeg.pause(Double.random(in: 1.5...2.0, using: &random))
        }
        let numbersRecording = Recording(
            name: "numbers",
            legs: [try numbersLeg.write(to: folder.appendingPathComponent("numbers.wav"), role: "caller")],
            seconds: numbersLeg.seconds)
        return RealSpeechSet(
            longLeg: longLeg, call: call, numbers: numbersRecording,
            heldOut: heldOut ? try promptLeg("held-out", seconds: .infinity) : nil)
    }

    /// One leg being assembled at 8 kHz.
    private struct Track {
        var samples: [Float] = []
        /// Seconds of speech (prompts) in it.
        var speech = 0.0
        /// What is said on it, in order.
        var said: [String] = []
        var seconds: Double { Double(samples.count) / Double(RealSpeechSet.sampleRate) }

        mutating func append(_ audio: AudioChunk, saying text: String) {
            precondition(audio.format == .mono(RealSpeechSet.sampleRate), "the prompts are 8 kHz mono")
            if !text.isEmpty { said.append(text) }
            samples += audio.samples
            speech += audio.duration
        }

        mutating func pause(_ seconds: Double) {
            samples += [Float](repeating: 0, count: Int(seconds * Double(RealSpeechSet.sampleRate)))
        }

        func write(to file: URL, role: String) throws -> Leg {
            try Fixtures.write(
                AudioChunk(format: .mono(RealSpeechSet.sampleRate), samples: samples), to: file, as: .mulaw)
            return Leg(file: file, role: role, offset: 0, reference: said.joined(separator: " "))
        }
    }
}
