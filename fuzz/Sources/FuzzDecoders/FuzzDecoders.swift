import AudioCore
import CallAudio
import Foundation

/// libFuzzer's entry point: the input is written to a file under the extension `FUZZ_EXTENSION` names (`wav`,
/// `mp3`, `ogg`, `webm`, ...) and decoded to its end, as a leg would be. A trap, a crash or a sanitizer report is
/// a finding; a clean `AudioError` is the decoder doing its job.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDecoders(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let path = Scratch.path
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes: data, count: size)) else { return 0 }
    do {
        let decoder = try AudioFiles.decoder(for: path)
        while let chunk = try decoder.read() {
            for sample in chunk.samples where !sample.isFinite || abs(sample) > 1 {
                fatalError("the decoder let through the sample \(sample)")
            }
        }
    } catch {
        precondition(!"\(error)".contains("\n"), "an error of more than one line: \(error)")
    }
    return 0
}

/// libFuzzer's driver, started from the executable's own `main`: SwiftPM names an executable target's entry
/// point `FuzzDecoders_main` and points `main` at it, so libFuzzer's `main` cannot be used.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

@_cdecl("FuzzDecoders_main")
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    var count = argc
    var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return runFuzzerDriver(&count, &arguments, fuzzDecoders)
}

enum Scratch {
    static let path: String = {
        let ext = ProcessInfo.processInfo.environment["FUZZ_EXTENSION"] ?? "wav"
        return NSTemporaryDirectory() + "/callaudio-fuzz-\(getpid()).\(ext)"
    }()
}
