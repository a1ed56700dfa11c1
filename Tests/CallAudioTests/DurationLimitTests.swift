import AudioCore
import AudioTesting
import Testing

@testable import CallAudio

/// The stage that stops a run at the call-length limit when no header told the length in advance.
@Suite struct DurationLimitTests {
    @Test func passesAStreamUpToTheLimitAndFailsAtTheFirstChunkPastIt() throws {
        let audio = AudioChunk.silence(.mono(8_000), frames: 8_000 * 3)
        let within = DurationLimit(ReplaySource(audio, framesPerChunk: 800), maxSeconds: 3)
        #expect(try within.drain(into: CollectingSink()) == 8_000 * 3)
        let beyond = DurationLimit(ReplaySource(audio, framesPerChunk: 800), maxSeconds: 2)
        var frames = 0
        let error = try #require(throws: AudioError.self) {
            while let chunk = try beyond.read() { frames += chunk.frameCount }
        }
        #expect(error.code == .invalidRecipe)
        #expect(frames == 8_000 * 2)  // nothing past the limit got through
    }
}
