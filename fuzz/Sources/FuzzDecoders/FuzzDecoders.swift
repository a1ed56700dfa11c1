import AudioCore
import CallAudio
import Foundation

/// libFuzzer's entry point: the input is written to a file under the extension `FUZZ_EXTENSION` names (`wav`,
/// `mp3`, `ogg`, `webm`, `m4a`, ...) and decoded, as a leg would be, to its end or for ten seconds; a packet capture
/// (`pcap`) is parsed (link layers, IP fragments, SIP and SDP, RTP) and each of its legs decoded. A trap, a crash or a sanitizer
/// report is a finding; a clean `AudioError` is the decoder doing its job.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDecoders(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let path = Scratch.path
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes: data, count: size)) else { return 0 }
    do {
        let decoders =
            Scratch.isCapture ? try AudioFiles.capturedLegDecoders(for: path) : [try AudioFiles.decoder(for: path)]
        for decoder in decoders {
            // A damaged capture may place a packet hours after the others (its capture time says so): ten seconds
            // of each leg show what decoding does, without spending the run on silence.
            var frames = 0
            while frames < decoder.format.sampleRate * 10, let chunk = try decoder.read() {
                frames += chunk.frameCount
                for sample in chunk.samples where !sample.isFinite || abs(sample) > 1 {
                    fatalError("the decoder let through the sample \(sample)")
                }
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
    static let ext = ProcessInfo.processInfo.environment["FUZZ_EXTENSION"] ?? "wav"
    static let path = NSTemporaryDirectory() + "/callaudio-fuzz-\(getpid()).\(ext)"
    static let isCapture = ext == "pcap"
}
