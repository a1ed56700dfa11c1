import ArgumentParser
import AudioCore
import CallAudio
import Foundation

/// The name error lines begin with: the executable's own (`callaudio`, `callaudio-server`).
public let programName = Bundle.main.executableURL?.lastPathComponent ?? "callaudio"

extension AsyncParsableCommand {
    /// Parses and runs the command. An error that no command turned into its own exit status is printed as one
    /// `PROGRAM:` line (never a bare `Error:` or a multi-line dump) and exits 1; usage errors and deliberate
    /// exit statuses stay as ArgumentParser prints them. `moved` names, for the arguments given, where a
    /// command that moved to the other executable went; it is said in one line, with exit status 64.
    public static func runAsProgram(moved: @Sendable ([String]) -> String? = { _ in nil }) async -> Never {
        if let problem = argumentThatIsNotUTF8() {
            writeErrorLine(problem)
            Foundation.exit(64)
        }
        if let movedTo = moved(Array(CommandLine.arguments.dropFirst())) {
            writeErrorLine(movedTo)
            Foundation.exit(64)
        }
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var syncCommand = command
                try syncCommand.run()
            }
        } catch  where isArgumentParsers(error) {
            exit(withError: error)
        } catch {
            writeErrorLine(String(describing: error))
            Foundation.exit(1)
        }
        Foundation.exit(0)
    }

    /// The complaint about the first argument that is not valid UTF-8 (a file name in Latin-1, say): Swift would
    /// quietly turn its bad bytes into U+FFFD and then fail to find the file, so it is named here, bytes shown.
    private static func argumentThatIsNotUTF8() -> String? {
        for index in 1..<Int(CommandLine.argc) {
            guard let raw = CommandLine.unsafeArgv[index], String(validatingCString: raw) == nil else { continue }
            let bytes = UnsafeBufferPointer(start: raw, count: strlen(raw)).map { UInt8(bitPattern: $0) }
            let shown = PrintableText.showing(bytes: bytes)
            return "argument \(index) (\(shown)) is not valid UTF-8; rename the file to a UTF-8 name"
        }
        return nil
    }

    /// Exit statuses, help requests and usage errors, which ArgumentParser prints and exits with itself.
    private static func isArgumentParsers(_ error: any Error) -> Bool {
        error is ExitCode || error is CleanExit || error is ValidationError
            || String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
    }
}
