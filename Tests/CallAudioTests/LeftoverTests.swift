import AudioTesting
import CallAudio
import Foundation
import Testing

/// What a run that never finished leaves beside its outputs is found and removed by the next run, and
/// nothing else is.
@Suite struct LeftoverTests {
    @Test func leftoversOfTheGivenOutputsGoAndEverythingElseStays() throws {
        try withScratchFolder("callaudio-leftovers") { folder throws in
            let call = folder.appendingPathComponent("call.mp3")
            let voicemail = folder.appendingPathComponent("voicemail.mp3")
            // An encoder killed mid-write leaves its temporary files; a voicemail its staging folder.
            let encoder = try MP3Encoder(path: call.path, format: .mono(8_000), encoding: Encoding(), tags: Tags())
            try encoder.write(Signals.sine(440, seconds: 0.5, format: .mono(8_000)))
            let staged = try StagedOutputs(in: folder, marker: voicemail.lastPathComponent)
            try Data("half".utf8).write(to: URL(fileURLWithPath: staged.path(of: "voicemail.eml")))
            let kept = [".callaudio-settings", "call.mp3.txt", ".call.mp3x.part-12345678"]
            for name in kept { try Data().write(to: folder.appendingPathComponent(name)) }
            let before = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".") }
            let keptHidden = kept.filter { $0.hasPrefix(".") }.count
            #expect(before.count >= keptHidden + 2, "\(before)")  // the encoder's frames file, the staging folder

            #expect(OutputFile.removeLeftovers(of: [call.path, voicemail.path]) == before.count - keptHidden)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == kept.sorted())
            withExtendedLifetime((encoder, staged)) {}
        }
    }
}
