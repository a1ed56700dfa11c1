import AudioCore
import CallAudio
import CallAudioCLI
import Foundation
import Synchronization

/// Shows a batch's progress: a redrawn bar on a terminal, one plain line per file otherwise.
/// Failures always go to standard error as one line naming the file and the problem.
final class BatchProgressDisplay: Sendable {
    private let total: Int
    private let quiet: Bool
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private let counts = Mutex((done: 0, skipped: 0, failed: 0))

    init(total: Int, quiet: Bool) {
        self.total = total
        self.quiet = quiet
    }

    func show(_ event: BatchEncoder.Event) {
        let (done, skipped, failed) = counts.withLock { counts in
            switch event {
            case .encoded: counts.done += 1
            case .skipped: counts.skipped += 1
            case .failed: counts.failed += 1
            }
            return counts
        }
        if case .failed(_, let error) = event {
            if isTerminal { write(standardError: "\r\u{1B}[K") }
            writeErrorLine("\(error)")
        }
        guard !quiet else { return }
        let finished = done + skipped + failed
        if isTerminal {
            let width = 30
            let filled = total == 0 ? width : width * finished / total
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            write(standardError: "\r[\(bar)] \(finished)/\(total)  \(skipped) skipped  \(failed) failed")
        } else {
            switch event {
            case .encoded(let result):
                print(
                    "[\(finished)/\(total)] encoded \(PrintableText.escaping(result.input)) -> \(PrintableText.escaping(result.output)) (\(String(format: "%.1f", result.duration)) s\(result.completeness == .partial ? ", PARTIAL input" : ""))"
                )
            case .skipped(let recipe):
                print("[\(finished)/\(total)] skipped \(PrintableText.escaping(recipe.input)) (output is up to date)")
            case .failed(let input, _):
                print("[\(finished)/\(total)] failed \(PrintableText.escaping(input))")
            }
        }
    }

    /// Ends the bar's line on a terminal.
    func finish() {
        if isTerminal && !quiet && total > 0 { write(standardError: "\n") }
    }

    private func write(standardError text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
