import AudioCore
import AudioTesting
import Foundation
import Testing

@Suite struct EncodeCommandTests {
    /// A tree of 20 recordings in several formats, two of them bad.
    private func makeTree() throws -> URL {
        let root = try Fixtures.scratchFolder("batch")
        let formats: [Fixtures.FileFormat] = [.mulaw, .alaw, .pcm16, .flac, .opus]
        for index in 0..<18 {
            let format = formats[index % formats.count]
            let folder = root.appendingPathComponent("day\(index % 3)/agent\(index % 2)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let rate = format == .opus ? 48_000 : 8_000
            let audio = Signals.speechLike(seconds: 1 + Double(index) / 10, format: .mono(rate))
            try Fixtures.write(
                audio, to: folder.appendingPathComponent("call\(index).\(format.fileExtension)"), as: format)
        }
        try Data("garbage".utf8).write(to: root.appendingPathComponent("day0/broken.wav"))
        try Data().write(to: root.appendingPathComponent("day1/empty.flac"))
        try Data("ignored, not audio".utf8).write(to: root.appendingPathComponent("day1/notes.txt"))
        return root
    }

    private func outputs(in folder: URL) -> [String] {
        let walker = FileManager.default.enumerator(atPath: folder.path)
        return (walker?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".mp3") }.sorted()
    }

    @Test func encodesTheGoodFilesReportsTheBadOnesAndResumes() async throws {
        let tree = try makeTree()
        try await withScratchFolder("batch-out") { output async throws in
            let first = try await CLIRunner.run(["encode", tree.path, "--output", output.path, "--jobs", "2"])
            #expect(first.status == 1)
            let written = outputs(in: output)
            #expect(written.count == 18)
            #expect(written.contains("day0/agent0/call0.mp3"), "the tree is mirrored")
            let errors = first.stderr.split(separator: "\n")
            #expect(errors.count == 2)
            #expect(errors.contains { $0.contains("broken.wav: not a readable audio file") })
            #expect(errors.contains { $0.contains("empty.flac: is empty") })
            #expect(first.stdout.contains("18 encoded, 0 skipped, 2 failed"))
            for path in written {
                let decoded = try Fixtures.read(output.appendingPathComponent(path))
                let index = Int(path.split(separator: "call").last!.dropLast(4))!
                #expect(abs(decoded.duration - (1 + Double(index) / 10)) < 0.03, "\(path)")
            }
            let hidden = (FileManager.default.enumerator(atPath: output.path)?.allObjects as? [String] ?? [])
                .filter { ($0 as NSString).lastPathComponent.hasPrefix(".") }
            #expect(hidden.isEmpty, "no temporary files left: \(hidden)")

            let second = try await CLIRunner.run(["encode", tree.path, "--output", output.path, "--json"])
            #expect(second.status == 1)
            let summary = try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as? [String: Any]
            #expect(summary?["skipped"] as? Int == 18)
            #expect(summary?["encoded"] as? Int == 0)
            #expect(summary?["failed"] as? Int == 2)
        }
    }

    @Test func forceReencodesAndAGoodBatchExitsZero() async throws {
        try await withScratchFolder("single") { input async throws in
            let file = input.appendingPathComponent("one.wav")
            try Fixtures.write(Signals.speechLike(seconds: 2, format: .mono(8_000)), to: file, as: .mulaw)
            try await withScratchFolder("single-out") { scratch async throws in
                let output = scratch
                let first = try await CLIRunner.run(["encode", file.path, "--output", output.path, "--format", "wav"])
                #expect(first.status == 0, "\(first.stderr)")
                let decoded = try Fixtures.read(output.appendingPathComponent("one.wav"))
                #expect(decoded.format == .mono(8_000) && abs(decoded.duration - 2) < 0.001)
                let again = try await CLIRunner.run([
                    "encode", file.path, "--output", output.path, "--format", "wav", "--force",
                ])
                #expect(again.stdout.contains("1 encoded, 0 skipped, 0 failed"))
            }
        }
    }
}

/// What `encode` finds in a tree it cannot wholly read: links to files are encoded, links to folders are not
/// followed (no loop), and a folder it may not read, or a name it cannot hold, is reported and fails the run,
/// never skipped unseen.
@Suite struct EncodeTreeTests {
    @Test func linkedFilesAreEncodedAndUnreadableFoldersAreReported() async throws {
        try withScratchFolder("batch-links") { root throws in
            let tree = root.appendingPathComponent("in")
            let elsewhere = root.appendingPathComponent("elsewhere")
            let locked = tree.appendingPathComponent("locked")
            for folder in [tree, elsewhere, locked] {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            }
            let audio = Signals.speechLike(seconds: 1, format: .mono(8_000))
            try Fixtures.write(audio, to: tree.appendingPathComponent("plain.wav"), as: .pcm16)
            try Fixtures.write(audio, to: elsewhere.appendingPathComponent("kept.wav"), as: .pcm16)
            try Fixtures.write(audio, to: locked.appendingPathComponent("hidden-from-us.wav"), as: .pcm16)
            try FileManager.default.createSymbolicLink(
                at: tree.appendingPathComponent("linked.wav"),
                withDestinationURL: elsewhere.appendingPathComponent("kept.wav"))
            try FileManager.default.createSymbolicLink(
                at: tree.appendingPathComponent("loop"), withDestinationURL: tree)
            try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: locked.path)
            defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: locked.path) }
            let output = root.appendingPathComponent("out")
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
            try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: output.path)

            // As an unprivileged user (root reads every folder whatever its mode), from a copy of the binary that
            // user may run wherever the package is checked out (under /root, say).
            let binary = try CLIRunner.copyOfBinary(in: root)
            let run = try ExternalTool.run(
                "/usr/bin/setpriv",
                [
                    "--reuid=65534", "--regid=65534", "--clear-groups", binary.path, "encode", tree.path,
                    "--output", output.path,
                ])
            #expect(run.status == 1, "\(run.stderr)")
            let written = (FileManager.default.enumerator(atPath: output.path)?.allObjects as? [String] ?? [])
                .filter { $0.hasSuffix(".mp3") }.sorted()
            #expect(written == ["linked.mp3", "plain.mp3"])
            let errors = run.stderr.split(separator: "\n")
            #expect(
                errors == ["callaudio: \(locked.path): is a folder that cannot be read; its files were not encoded"])
            #expect(run.stdout.contains("2 encoded, 0 skipped, 1 failed"), "\(run.stdout)")
        }
    }

    @Test func namesThatAreNotUTF8AreReportedByTheirBytes() async throws {
        try await withScratchFolder("batch-latin1") { root async throws in
            let tree = root.appendingPathComponent("in")
            try FileManager.default.createDirectory(at: tree, withIntermediateDirectories: true)
            let audio = Signals.speechLike(seconds: 1, format: .mono(8_000))
            try Fixtures.write(audio, to: tree.appendingPathComponent("plain.wav"), as: .pcm16)
            // Latin-1 names (the byte 0xE9, é) only a shell can make: a Swift string cannot hold them.
            let made = try ExternalTool.run(
                "/bin/sh",
                [
                    "-c",
                    #"cd "$0" && cp plain.wav "$(printf 'caf\351.wav')" && mkdir "$(printf 'dossi\351')" "#
                        + #"&& cp plain.wav "$(printf 'dossi\351')/inside.wav" && touch "$(printf 'not\351s.txt')""#,
                    tree.path,
                ])
            #expect(made.status == 0, "\(made.stderr)")
            let output = root.appendingPathComponent("out")
            let run = try await CLIRunner.run(["encode", tree.path, "--output", output.path])
            #expect(run.status == 1, "\(run.stderr)")
            #expect(
                run.stderr.split(separator: "\n") == [
                    "callaudio: \(tree.path)/caf\\xE9.wav: has a name that is not valid UTF-8 and was not encoded "
                        + "(rename it to a UTF-8 name)",
                    "callaudio: \(tree.path)/dossi\\xE9: is a folder whose name is not valid UTF-8; its files were not "
                        + "encoded (rename it to a UTF-8 name)",
                ])
            #expect(run.stdout.contains("1 encoded, 0 skipped, 2 failed"), "\(run.stdout)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: output.path) == ["plain.mp3"])
        }
    }
}
