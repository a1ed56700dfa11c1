import AudioTesting
import Foundation
import Testing

/// An error no command turned into its own exit status is still one `callaudio:` line, never ArgumentParser's
/// bare `Error:` or a dump.
@Suite struct ErrorLineTests {
    @Test func aQueueThatCannotBeOpenedIsOnePrefixedLine() async throws {
        let result = try await CLIRunner.run(["jobs", "list", "--queue", "sqlite:/nonexistent-folder/jobs.db"])
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(
            lines.first?.hasPrefix("callaudio-server: cannot open the SQLite queue /nonexistent-folder/jobs.db") == true
        )
    }

    @Test func aQueueFileThisUserMayNotWriteCanStillBeListed() async throws {
        try await withScratchFolder("read-only-queue") { folder async throws in
            let database = folder.appendingPathComponent("jobs.db")
            let submitted = try await CLIRunner.run([
                "submit", "--queue", "sqlite:\(database.path)", "--kind", "reencode", "--key", "c-7", "--output",
                folder.path, folder.appendingPathComponent("leg.wav").path,
            ])
            #expect(submitted.status == 0, "\(submitted.stderr)")
            // As an unprivileged user (root may write anything), from a copy of the binary that user may run, on a
            // queue file and folder nobody may write: SQLite cannot make WAL's shared-memory file there.
            let binary = try CLIRunner.copyOfBinary(CLIRunner.serverBinary, in: folder)
            try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: database.path)
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path)
            defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path) }
            let before = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            func asNobody(_ arguments: [String]) throws -> ExternalTool.Run {
                try ExternalTool.run(
                    "/usr/bin/setpriv",
                    ["--reuid=65534", "--regid=65534", "--clear-groups", binary.path]
                        + arguments + ["--queue", "sqlite:\(database.path)"])
            }
            let listed = try asNobody(["jobs", "list"])
            #expect(listed.status == 0, "\(listed.stderr)")
            #expect(listed.stdout.contains("queued  reencode") && listed.stdout.contains("key c-7"), "\(listed.stdout)")
            let shown = try asNobody(["jobs", "show", "1"])
            #expect(shown.status == 0, "\(shown.stderr)")
            #expect(shown.stdout.contains("enqueued"), "\(shown.stdout)")
            let cancelled = try asNobody(["jobs", "cancel", "1"])
            #expect(cancelled.status == 1)
            #expect(cancelled.stderr.split(separator: "\n").count == 1, "\(cancelled.stderr)")
            #expect(cancelled.stderr.hasPrefix("callaudio-server: "), "\(cancelled.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == before)
        }
    }

    @Test func usageErrorsAndHelpStayAsArgumentParserPrintsThem() async throws {
        let help = try await CLIRunner.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("SUBCOMMANDS"))
        let missing = try await CLIRunner.run(["jobs", "list"])
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("--queue"))
    }

    @Test func aFileNameWithControlCharactersStaysOnOneEscapedLine() async throws {
        try await withScratchFolder("odd-names") { folder async throws in
            let name = folder.appendingPathComponent("bad\u{1B}[2J\nname.wav")
            try Data("not audio".utf8).write(to: name)
            let result = try await CLIRunner.run([
                "process", name.path, "--output", folder.appendingPathComponent("out").path,
            ])
            #expect(result.status == 65)
            #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
            #expect(result.stderr.contains(#"bad\u{1B}[2J\nname.wav: "#), "\(result.stderr)")
            #expect(!result.stderr.contains("\u{1B}"))
        }
    }

    @Test func aFileNameThatIsNotUTF8IsNamedByItsBytes() async throws {
        try withScratchFolder("latin1-names") { folder throws in
            // The shell hands the raw byte 0xE9 (Latin-1 é) through; a Swift String cannot hold it.
            let run = try ExternalTool.run(
                "/bin/sh",
                [
                    "-c", #"exec "$0" process "$(printf 'caf\351.wav')" --output "$1""#, CLIRunner.binary.path,
                    folder.appendingPathComponent("out").path,
                ])
            #expect(run.status == 64)
            #expect(
                run.stderr
                    == "callaudio: argument 2 (caf\\xE9.wav) is not valid UTF-8; rename the file to a UTF-8 name\n")
        }
    }

    @Test func aNameNearTheFileSystemsLimitIsEncoded() async throws {
        try await withScratchFolder("long-names") { folder async throws in
            let name = String(repeating: "é", count: 120) + ".wav"  // 244 bytes: the temporary name must be shortened
            let input = folder.appendingPathComponent(name)
            try Fixtures.write(Signals.speechLike(seconds: 1, format: .mono(8_000)), to: input, as: .pcm16)
            let output = folder.appendingPathComponent("out")
            let result = try await CLIRunner.run(["encode", input.path, "--output", output.path])
            #expect(result.status == 0, "\(result.stderr)")
            let decoded = try Fixtures.read(output.appendingPathComponent(String(repeating: "é", count: 120) + ".mp3"))
            #expect(abs(decoded.duration - 1) < 0.05)
            #expect(try FileManager.default.contentsOfDirectory(atPath: output.path).count == 1)
        }
    }
}

/// libsndfile's MP3 decoder (libmpg123) prints notes and errors of its own on damaged files; none of them
/// may reach the user: a damaged MP3 is our one line, or a `partial` leg in the report.
@Suite struct QuietDecoderTests {
    @Test func aDamagedMP3PrintsNothingButOurOwnReport() async throws {
        try await withScratchFolder("damaged-mp3") { folder async throws in
            let whole = folder.appendingPathComponent("whole.mp3")
            try Fixtures.write(Signals.speechLike(seconds: 5, format: .mono(16_000)), to: whole, as: .mp3)
            // Three frame headers zeroed: libmpg123 says "Note: Illegal Audio-MPEG-Header ..." and resyncs.
            var bytes = [UInt8](try Data(contentsOf: whole))
            let syncs = (0..<bytes.count - 1).filter { bytes[$0] == 0xFF && bytes[$0 + 1] & 0xE0 == 0xE0 }
            for frame in [20, 40, 60] { bytes.replaceSubrange(syncs[frame]..<syncs[frame] + 4, with: [0, 0, 0, 0]) }
            let damaged = folder.appendingPathComponent("damaged.mp3")
            try Data(bytes).write(to: damaged)

            let result = try await CLIRunner.run([
                "process", damaged.path, "--output", folder.appendingPathComponent("out").path,
            ])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.isEmpty, "printed raw: \(result.stderr)")
            #expect(result.stdout.contains("PARTIAL"), "\(result.stdout)")
        }
    }
}
