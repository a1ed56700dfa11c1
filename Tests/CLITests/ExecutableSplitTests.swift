import AudioTesting
import Foundation
import Testing

/// Two executables, one per audience (issue 21): `callaudio`, the offline audio tool, links no server or
/// database code; the service and queue commands are `callaudio-server`'s, and `callaudio` says so.
@Suite struct ExecutableSplitTests {
    @Test(arguments: [
        ["serve", "--port", "8080"], ["worker", "--queue", "sqlite:jobs.db"], ["submit", "leg.wav"], ["jobs", "list"],
        ["delete", "0"],
    ])
    func aMovedCommandNamesItsNewHomeInOneLine(arguments: [String]) async throws {
        let run = try await CLIRunner.run(arguments, binary: CLIRunner.binary)
        #expect(run.status == 64)
        #expect(
            run.stderr
                == "callaudio: \(arguments[0]) is callaudio-server's now: run callaudio-server \(arguments[0]) ...\n")
        #expect(run.stdout.isEmpty)
    }

    @Test func queueingAVoicemailIsTheServers() async throws {
        let run = try await CLIRunner.run(
            ["voicemail", "vm.wav", "--to", "a@example.com", "--queue=sqlite:jobs.db"], binary: CLIRunner.binary)
        #expect(run.status == 64)
        #expect(run.stderr.contains("callaudio-server voicemail"), "\(run.stderr)")
        let help = try await CLIRunner.run(["voicemail", "--help"], binary: CLIRunner.serverBinary)
        #expect(help.status == 0 && help.stdout.contains("--queue <LOCATION>"), "\(help.stdout)")
    }

    @Test func theOfflineToolLinksNoServerOrDatabaseCode() throws {
        let symbols = try ExternalTool.run("/usr/bin/nm", [CLIRunner.binary.path])
        #expect(symbols.status == 0)
        #expect(symbols.stdout.count > 100_000)
        for module in ["Hummingbird", "PostgresNIO", "GRDB", "Prometheus", "MultipartKit"] {
            #expect(!symbols.stdout.contains(module), "callaudio links \(module)")
        }
        let server = try ExternalTool.run("/usr/bin/nm", [CLIRunner.serverBinary.path])
        #expect(server.stdout.contains("Hummingbird") && server.stdout.contains("GRDB"))
    }
}
