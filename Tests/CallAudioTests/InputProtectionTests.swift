import AudioCore
import AudioTesting
import CallAudio
import Foundation
import Testing

/// No run writes over one of its own inputs, whatever name, link or folder leads there.
/// A class, so that `deinit` removes each test's scratch folder.
@Suite final class InputProtectionTests {
    let folder: URL

    init() throws { folder = try Fixtures.scratchFolder() }

    deinit { Fixtures.removeScratchFolder(folder) }

    private func leg(at url: URL, format: Fixtures.FileFormat = .pcm16) throws -> Data {
        try Fixtures.write(Signals.sine(440, seconds: 1, format: .mono(8_000)), to: url, as: format)
        return try Data(contentsOf: url)
    }

    /// Runs `recipe`, expects a refusal naming `name`, and checks that the input is untouched and nothing new
    /// appeared in the output folder.
    private func expectRefused(_ recipe: CallRecipe, input: URL, original: Data, name: String) throws {
        let before = try FileManager.default.contentsOfDirectory(atPath: recipe.outputDirectory).sorted()
        let error = try #require(throws: AudioError.self) { try CallProcessor().run(recipe) }
        #expect(error.code == .invalidRecipe)
        #expect(error.description.contains("\(name): is an input of this run"), "\(error)")
        #expect(try Data(contentsOf: input) == original)
        #expect(try FileManager.default.contentsOfDirectory(atPath: recipe.outputDirectory).sorted() == before)
    }

    @Test(arguments: [("call.wav", Encoding.Container.wav), ("call.json", .mp3), ("call-1.5x.wav", .wav)])
    func aLegNamedLikeAnOutputIsRefused(name: String, container: Encoding.Container) throws {
        let input = folder.appendingPathComponent(name)
        let original = try leg(at: input)
        let recipe = CallRecipe(
            legs: [.init(path: input.path)], outputDirectory: folder.path, encoding: Encoding(container: container),
            enhancement: Enhancement(speeds: [1.5]))
        try expectRefused(recipe, input: input, original: original, name: name)
    }

    @Test func anOutputLinkedToALegIsRefused() throws {
        let input = folder.appendingPathComponent("leg.wav")
        let original = try leg(at: input)
        let output = folder.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        try FileManager.default.linkItem(at: input, to: output.appendingPathComponent("call.mp3"))
        let recipe = CallRecipe(legs: [.init(path: input.path)], outputDirectory: output.path)
        try expectRefused(recipe, input: input, original: original, name: "call.mp3")

        let viaSymlink = folder.appendingPathComponent("via-symlink")
        try FileManager.default.createDirectory(at: viaSymlink, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            at: viaSymlink.appendingPathComponent("call.json"), withDestinationURL: input)
        let linked = CallRecipe(legs: [.init(path: input.path)], outputDirectory: viaSymlink.path)
        try expectRefused(linked, input: input, original: original, name: "call.json")
    }

    @Test func encodingAFileOverItselfIsRefused() throws {
        let input = folder.appendingPathComponent("same.mp3")
        let original = try leg(at: input, format: .mp3)
        let error = try #require(throws: AudioError.self) {
            try FileEncoder().run(EncodeRecipe(input: input.path, output: input.path, encoding: Encoding()))
        }
        #expect(error.description.contains("same.mp3: is an input of this run"))
        #expect(try Data(contentsOf: input) == original)
    }

    @Test func aBatchNeverEntersItsOwnOutputFolderNorWritesOverAnInput() throws {
        let tree = folder.appendingPathComponent("tree")
        try FileManager.default.createDirectory(at: tree, withIntermediateDirectories: true)
        _ = try leg(at: tree.appendingPathComponent("a.wav"))
        let mp3 = tree.appendingPathComponent("b.mp3")
        _ = try leg(at: mp3, format: .mp3)
        let output = tree.appendingPathComponent("encoded")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        try Data().write(to: output.appendingPathComponent("old.wav"))

        let intoSubfolder = BatchPlan(inputs: [tree.path], outputDirectory: output.path, encoding: Encoding())
        #expect(intoSubfolder.recipes.map { URL(fileURLWithPath: $0.input).lastPathComponent } == ["a.wav", "b.mp3"])
        #expect(intoSubfolder.problems.isEmpty)

        let intoItself = BatchPlan(inputs: [tree.path], outputDirectory: tree.path, encoding: Encoding())
        #expect(intoItself.recipes.map { URL(fileURLWithPath: $0.input).lastPathComponent } == ["a.wav", "old.wav"])
        #expect(
            intoItself.problems.map(\.description) == [
                "\(mp3.path): is an input of this run (\(mp3.path)); refusing to write over it"
            ])
    }
}
