import ArgumentParser
import AudioCore
import CallAudio
import Foundation

/// Runs `body`; an `AudioError` becomes one line on standard error and the matching exit status.
public func runReportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as AudioError {
        writeErrorLine("\(error)")
        throw ExitCode(error.exitStatus)
    }
}

extension AudioError {
    /// The sysexits(3) status for this error: 65 for unusable input, 73 for an output that cannot be written.
    public var exitStatus: Int32 { code == .writeFailed ? 73 : 65 }
}

/// Human-readable figures for summaries.
public enum Summary {
    public static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds)
        return String(format: "%d:%02d.%03d", whole / 60, whole % 60, Int((seconds - Double(whole)) * 1000))
    }

    public static func bytes(_ count: Int) -> String {
        count >= 1 << 20
            ? String(format: "%.1f MB", Double(count) / 1_048_576) : String(format: "%.1f kB", Double(count) / 1024)
    }
}

/// Pretty, stable JSON for everything printed with `--json` (dates in ISO 8601).
public enum JSONText {
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
