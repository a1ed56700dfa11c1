import AudioTesting
import Foundation
import Testing

/// An error no command turned into its own exit status is still one `callaudio:` line, never ArgumentParser's
/// bare `Error:` or a dump.
@Suite struct ErrorLineTests {
    @Test func aQueueThatCannotBeOpenedIsOnePrefixedLine() throws {
        let result = try CLIRunner.run(["jobs", "list", "--queue", "sqlite:/nonexistent-folder/jobs.db"])
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(lines.first?.hasPrefix("callaudio: cannot open the SQLite queue /nonexistent-folder/jobs.db") == true)
    }

    @Test func usageErrorsAndHelpStayAsArgumentParserPrintsThem() throws {
        let help = try CLIRunner.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("SUBCOMMANDS"))
        let missing = try CLIRunner.run(["jobs", "list"])
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("--queue"))
    }
}
