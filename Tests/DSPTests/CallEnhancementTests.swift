import AudioCore
import AudioTesting
import CallAudio
import Foundation
import Testing

/// The DSP stages inside a whole call: `CallProcessor` with an enhancement in its recipe.
@Suite struct CallEnhancementTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dsp-\(UUID().uuidString)").path

    /// Writes `samples` as an 8 kHz WAV leg and returns its path.
    func writeLeg(_ name: String, _ samples: [Float]) throws -> String {
        let path = "\(folder)/\(name).wav"
        let encoder = try SoundFileEncoder(path: path, format: .mono(8_000))
        try encoder.write(AudioChunk(format: .mono(8_000), samples: samples))
        try encoder.finish()
        return path
    }

    /// A caller far too quiet and an agent far too loud, each with some line noise.
    func call(enhancement: Enhancement) throws -> CallReport {
        let caller = SpeechLike.talker(seconds: 8, sampleRate: 8_000, fundamental: 120, amplitude: 0.1)
        let agent = SpeechLike.talker(seconds: 8, sampleRate: 8_000, fundamental: 200, start: 0.7, amplitude: 0.9)
        let noise = SpeechLike.whiteNoise(count: caller.samples.count, dBFS: -70, seed: 1)
        let legs = try [
            writeLeg("caller", zip(caller.samples, noise).map(+)),
            writeLeg("agent", zip(agent.samples, noise).map { $0 + 10 * $1 }),
        ]
        let recipe = CallRecipe(
            legs: legs.map { CallRecipe.Leg(path: $0) }, outputDirectory: folder, enhancement: enhancement)
        return try CallProcessor().run(recipe)
    }

    @Test func levelsEachLegAndWritesTheSpeedCopiesInTheSamePass() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let report = try call(enhancement: Enhancement(speeds: [1.5, 2]))
        for leg in report.legs {
            let enhancement = try #require(leg.enhancement)
            #expect(abs(try #require(enhancement.loudnessAfterLUFS) - -19) <= 1, "\(enhancement)")
            #expect(enhancement.speechShare > 0.3 && enhancement.speechShare < 0.9)
            #expect(enhancement.noiseFloorAfterDBFS < enhancement.noiseFloorBeforeDBFS + 30)
        }
        let loudness = report.legs.compactMap { $0.enhancement?.loudnessBeforeLUFS }
        #expect(loudness.count == 2 && loudness[1] - loudness[0] > 15)
        #expect(
            report.outputs.map { URL(fileURLWithPath: $0.path).lastPathComponent }
                == ["call.mp3", "call-1.5x.mp3", "call-2x.mp3"])
        for (output, speed) in zip(report.outputs.dropFirst(), [1.5, 2]) {
            let expected = report.outputs[0].duration / speed
            #expect(abs(output.duration - expected) / expected <= 0.005)
            #expect(output.bytes > 0)
        }
    }

    @Test func leavesLevelsAloneWhenLoudnessIsOff() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let report = try call(enhancement: Enhancement(denoise: .off, loudnessTarget: nil))
        for leg in report.legs {
            #expect(leg.enhancement?.loudnessAfterLUFS == nil)
            #expect(leg.enhancement?.loudnessBeforeLUFS == nil)
        }
    }

    @Test func rejectsEchoCancellationWithoutTwoLegs() throws {
        let recipe = CallRecipe(
            legs: [CallRecipe.Leg(path: "/nonexistent.wav")], outputDirectory: folder,
            enhancement: Enhancement(echoCancellation: true))
        #expect(throws: AudioError.self) { try CallProcessor().run(recipe) }
    }
}

@Suite struct EnhancementRecipeTests {
    @Test func olderRecipesDecodeWithTheDefaults() throws {
        let json =
            #"{"legs":[{"path":"/a.wav","offset":0}],"layout":"mono","sampleRate":16000,"#
            + #""outputDirectory":"/out","outputName":"call","encoding":{"container":"mp3"},"tags":{}}"#
        let recipe = try JSONDecoder().decode(CallRecipe.self, from: Data(json.utf8))
        #expect(recipe.enhancement == Enhancement())
        #expect(recipe.enhancement.denoise == .moderate && recipe.enhancement.loudnessTarget == -19)
        #expect(recipe.enhancement.highPassFilter && !recipe.enhancement.echoCancellation)
        let partial = try JSONDecoder().decode(Enhancement.self, from: Data(#"{"speeds":[2]}"#.utf8))
        #expect(partial == Enhancement(speeds: [2]))
    }

    @Test(arguments: [
        Enhancement(), Enhancement(denoise: .veryhigh, echoCancellation: true, loudnessTarget: nil, speeds: [0.5, 2]),
    ])
    func survivesARoundTrip(enhancement: Enhancement) throws {
        let recipe = CallRecipe(
            legs: [CallRecipe.Leg(path: "/a.wav")], outputDirectory: "/out", enhancement: enhancement)
        let decoded = try JSONDecoder().decode(CallRecipe.self, from: JSONEncoder().encode(recipe))
        #expect(decoded == recipe)
    }
}
