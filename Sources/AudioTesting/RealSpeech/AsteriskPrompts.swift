import AudioCore
import Foundation

/// Real human telephone speech with its script: the English prompts of Debian's `asterisk-core-sounds-en-wav`
/// (one voice actor, 8 kHz 16-bit WAV) and their text from `asterisk-core-sounds-en` (`core-sounds-en.txt.gz`,
/// lines `name: text`). Lines whose text holds `[` or `(` describe tones or give stage directions, not words,
/// and are left out.
public struct AsteriskPrompts: Sendable {
    /// Where Debian installs the recordings.
    public static let soundsFolder = URL(fileURLWithPath: "/usr/share/asterisk/sounds/en_US_f_Allison")
    /// Where Debian installs their script.
    public static let scriptPath = "/usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz"

    /// One recording and what it says.
    public struct Prompt: Sendable, Hashable {
        /// The name in the script, which is the file's path under `soundsFolder` without `.wav` (`digits/7`).
        public var name: String
        public var text: String
        public var file: URL { AsteriskPrompts.soundsFolder.appendingPathComponent(name + ".wav") }
    }

    /// Every prompt of the script whose recording is installed, sorted by name.
    public var prompts: [Prompt]

    /// Reads the installed script.
    /// - Throws: `Fixtures.FixtureError` naming the Debian packages when they are missing.
    public static func installed() throws -> AsteriskPrompts {
        guard FileManager.default.fileExists(atPath: scriptPath),
            FileManager.default.fileExists(atPath: soundsFolder.path)
        else {
            throw Fixtures.FixtureError(
                message: "the Asterisk prompts are not installed (scripts/install-deps.sh --test installs "
                    + "asterisk-core-sounds-en-wav and asterisk-core-sounds-en)")
        }
        let script = try ExternalTool.output("/bin/gzip", ["-dc", scriptPath])
        return AsteriskPrompts(prompts: parse(script))
    }

    /// The prompts a script names, with a recording installed, without tones or directions.
    static func parse(_ script: String) -> [Prompt] {
        script.split(separator: "\n").compactMap { line -> Prompt? in
            guard !line.hasPrefix(";"), let colon = line.firstIndex(of: ":") else { return nil }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces)
            let text = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, !text.isEmpty, !text.contains("["), !text.contains("(") else { return nil }
            let prompt = Prompt(name: name, text: text)
            return FileManager.default.fileExists(atPath: prompt.file.path) ? prompt : nil
        }.sorted { $0.name < $1.name }
    }

    /// A prompt's audio at its own rate (8 kHz), with its leading and trailing silence cut down to `margin`
    /// seconds, so that pauses between prompts are the ones a set chooses.
    public static func speech(of prompt: Prompt, margin: Double = 0.05) throws -> AudioChunk {
        let audio = try Fixtures.read(prompt.file)
        let threshold: Float = 0.02
        let rate = audio.format.sampleRate
        let keep = Int(margin * Double(rate))
        guard let first = audio.samples.firstIndex(where: { abs($0) > threshold }),
            let last = audio.samples.lastIndex(where: { abs($0) > threshold })
        else { return audio }
        let range = max(0, first - keep)..<min(audio.samples.count, last + 1 + keep)
        return AudioChunk(format: audio.format, samples: Array(audio.samples[range]))
    }
}
