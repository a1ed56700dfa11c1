// swift-tools-version:6.0
// The decoders under libFuzzer: not part of the CallAudio package, so that its manifest carries no unsafe
// flags. Built and run by fuzz/run.sh.
import Foundation
import PackageDescription

/// The CallAudio package is the folder above; SwiftPM names a path dependency after its folder.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

let package = Package(
    name: "CallAudioFuzz",
    dependencies: [.package(path: root.path)],
    targets: [
        .executableTarget(
            name: "FuzzDecoders",
            dependencies: [.product(name: "CallAudio", package: root.lastPathComponent.lowercased())],
            swiftSettings: [.unsafeFlags(["-parse-as-library", "-sanitize=fuzzer"])],
            linkerSettings: [.unsafeFlags(["-sanitize=fuzzer"])])
    ]
)
