import ArgumentParser
import AudioCore
import CallAudio
import Foundation

/// Writes `message` as one line on standard error and returns the exit status to throw.
public func exitWith(_ status: Int32, _ message: String) -> ExitCode {
    writeErrorLine(message)
    return ExitCode(status)
}

/// Writes `message` on standard error as `PROGRAM: message` (`callaudio: ...`, `callaudio-server: ...`), on one
/// line: control characters escaped.
public func writeErrorLine(_ message: String) {
    FileHandle.standardError.write(Data("\(programName): \(PrintableText.escaping(message))\n".utf8))
}
