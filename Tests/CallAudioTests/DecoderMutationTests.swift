import AudioCore
import AudioTesting
import Foundation
import Testing

@testable import CallAudio

/// A few hundred deterministic mutations of a small valid file per format, each decoded in-process as a leg
/// would be: nothing may trap; a file that cannot be read fails with one line; a file that decodes yields only
/// finite samples within full scale, says how long it was exactly, and is `partial` when it was cut short.
@Suite struct DecoderMutationTests {
    static let formats: [Fixtures.FileFormat] = [.pcm16, .float32, .mulaw, .flac, .vorbis, .opus, .mp3]

    /// What decoding one file came to.
    enum Outcome {
        case failed(String)
        case decoded(frames: Int, isPartial: Bool)
    }

    @Test(arguments: formats)
    func mutatedFilesNeverTrapAndSayWhatTheyDecoded(format: Fixtures.FileFormat) throws {
        try withScratchFolder("callaudio-mutations") { folder throws in
            let rate = format == .opus ? 48_000 : 16_000
            let original = folder.appendingPathComponent("seed.\(format.fileExtension)")
            try Fixtures.write(Signals.speechLike(seconds: 6, format: .mono(rate)), to: original, as: format)
            // Of 28 cuts, the first few end inside the header (Vorbis's codebooks alone are 3.4 kB) and cannot decode.
            try mutate(original, named: "\(format)", decodedCuts: 10...)
        }
    }

    /// M4A (AAC) as ffmpeg writes it in each layout. Cut short, an M4A with its index last (as most recorders
    /// write it) has no index left and can never decode, which is what it must say; one with its index first, or
    /// fragmented as Safari records, decodes up to the cut.
    @Test(arguments: Fixtures.MP4Layout.allCases)
    func mutatedM4AFilesNeverTrapAndSayWhatTheyDecoded(layout: Fixtures.MP4Layout) throws {
        try withScratchFolder("callaudio-mutations") { folder throws in
            let original = folder.appendingPathComponent("seed.m4a")
            try Fixtures.writeM4A(
                Signals.speechLike(seconds: 6, format: .mono(16_000)), to: original, layout: layout, bitrate: 32_000)
            try mutate(original, named: "M4A \(layout)", decodedCuts: layout == .indexLast ? 0...0 : 10...28)
        }
    }

    /// Decodes cut-short and damaged copies of the file at `original`, next to it; `decodedCuts` is how many of
    /// the 28 cut-short copies must decode some audio.
    private func mutate(_ original: URL, named format: String, decodedCuts expected: some RangeExpression<Int>) throws {
        let seed = [UInt8](try Data(contentsOf: original))
        var random = SeededGenerator(seed: UInt64(seed.count))
        let path = original.deletingLastPathComponent()
            .appendingPathComponent("mutant").appendingPathExtension(original.pathExtension).path
        // Cut short anywhere from the header to most of the way: always partial or a one-line failure, and
        // past the header decoded as far as it goes.
        var decodedCuts = 0
        for cut in stride(from: 0.02, through: 0.85, by: 0.03) {
            let outcome = try decode(Array(seed.prefix(Int(Double(seed.count) * cut))), at: path)
            if case .decoded(let frames, let isPartial) = outcome {
                #expect(isPartial, "\(format) cut at \(Int(cut * 100))% decoded \(frames) frames as whole")
                if frames > 0 { decodedCuts += 1 }
            }
        }
        #expect(expected.contains(decodedCuts), "\(format): \(decodedCuts) cuts decoded some audio")
        // Bytes flipped anywhere, the header overwritten, a stretch repeated: whatever comes out, it is honest.
        for round in 0..<240 {
            var mutant = seed
            switch round % 3 {
            case 0:
                for _ in 0..<Int.random(in: 1...8, using: &random) {
                    mutant[Int.random(in: 0..<mutant.count, using: &random)] = UInt8.random(
                        in: 0...255, using: &random)
                }
            case 1:
                let position = Int.random(in: 0..<min(64, mutant.count), using: &random)
                for offset in 0..<4 where position + offset < mutant.count {
                    mutant[position + offset] = [0x00, 0xFF, 0x7F, 0x80].randomElement(using: &random)!
                }
            default:
                let start = Int.random(in: 0..<mutant.count, using: &random)
                let length = Int.random(in: 1...min(4_096, mutant.count - start), using: &random)
                mutant.insert(contentsOf: mutant[start..<start + length], at: start)
            }
            _ = try decode(mutant, at: path)
        }
    }

    /// Decodes `bytes` written at `path` to the end, checking every sample and the decoder's own account.
    private func decode(_ bytes: [UInt8], at path: String) throws -> Outcome {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        do {
            let decoder = try LegInput.openFile(path, preferredSampleRate: nil)
            var frames = 0
            var unsound = 0
            while let chunk = try decoder.read() {
                frames += chunk.frameCount
                unsound += chunk.samples.count { !$0.isFinite || abs($0) > 1 }
            }
            #expect(unsound == 0, "samples that are not finite or beyond full scale")
            #expect(abs(decoder.decodedDuration - decoder.format.seconds(forFrames: frames)) < 1e-9)
            return .decoded(frames: frames, isPartial: decoder.isPartial)
        } catch {
            let message = "\(error)"
            #expect(!message.contains("\n"), "a failure is one line: \(message)")
            #expect(!message.isEmpty)
            return .failed(message)
        }
    }
}
