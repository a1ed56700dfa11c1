import AudioTesting
import Foundation

// speech-set build DIR          builds the real-speech set (RealSpeechSet, seed 26, with its held-out leg) into
//                               DIR and writes DIR/set.tsv, a line per leg: recording, seconds, leg number, file,
//                               reference
// speech-set score REFERENCE FILE
//                               prints "WORD_EDITS REFERENCE_WORDS DIGIT_EDITS REFERENCE_DIGITS" of the file's
//                               text against REFERENCE, scored as the suite scores (TranscriptScore)
let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "build" where arguments.count == 2:
    let folder = URL(fileURLWithPath: arguments[1])
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let set = try RealSpeechSet.build(into: folder, heldOut: true)
    let rows = [set.longLeg, set.call, set.numbers, set.heldOut].compactMap { $0 }.flatMap { recording in
        recording.legs.enumerated().map { index, leg in
            [recording.name, String(format: "%.2f", recording.seconds), "\(index)", leg.file.path, leg.reference]
                .joined(separator: "\t")
        }
    }
    try (rows.joined(separator: "\n") + "\n").write(
        to: folder.appendingPathComponent("set.tsv"), atomically: true, encoding: .utf8)
case "score" where arguments.count == 3:
    let hypothesis = try String(contentsOfFile: arguments[2], encoding: .utf8)
    let words = TranscriptScore.wordErrors(hypothesis, reference: arguments[1])
    let digits = TranscriptScore.digitErrors(hypothesis, reference: arguments[1])
    print(words.edits, words.total, digits.edits, digits.total)
default:
    FileHandle.standardError.write(Data("usage: speech-set build DIR | speech-set score REFERENCE FILE\n".utf8))
    exit(64)
}
