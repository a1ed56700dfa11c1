import AudioCore
import AudioTesting
import Foundation
import Testing

@testable import CallAudio

/// The inputs fuzz/run.sh found a fault with, kept in FuzzRegressions/ and decoded as a leg on every run: each
/// must decode to finite samples within full scale, or fail with one line.
///
/// - `opus-square-overshoots-full-scale.webm`: libopus's float output overshoots full scale on a near-full-scale
///   square wave; the WebM decoder passed samples of -1.19 on (found by the fuzzer, remade here by ffmpeg).
/// - `webm-absurd-sample-rate.webm`: a WebM header whose sampling frequency does not fit an Int trapped the
///   decoder (found by the fuzzer).
/// - `m4a-index-claims-560-mb.m4a`: a 1.2 kB M4A whose fragment index claims so many samples that libavformat
///   allocated 560 MB for it (found by the fuzzer): FFmpeg's allocations are now capped.
/// - `webm-skip-of-zero-bytes.webm`: a damaged block made libwebm's parser skip zero bytes, which its file
///   reader asserts against: the process aborted (found by the fuzzer).
@Suite struct FuzzRegressionTests {
    static let folder = Fixtures.packageRoot.appendingPathComponent("Tests/CallAudioTests")
        .appendingPathComponent("FuzzRegressions")

    static var inputs: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    @Test func thereAreRegressionInputs() {
        #expect(!Self.inputs.isEmpty)
    }

    @Test(arguments: inputs)
    func decodesSoundlyOrFailsInOneLine(name: String) throws {
        let path = Self.folder.appendingPathComponent(name).path
        do {
            let decoder = try LegInput.openFile(path, preferredSampleRate: nil)
            var unsound = 0
            while let chunk = try decoder.read() { unsound += chunk.samples.count { !$0.isFinite || abs($0) > 1 } }
            #expect(unsound == 0, "\(name): samples not finite or beyond full scale")
        } catch {
            #expect(!"\(error)".contains("\n"))
        }
    }
}
