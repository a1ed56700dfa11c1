// swift-tools-version:6.0
// The benchmark executables: not part of the CallAudio package, so that `swift build` and `swift test` of the
// package compile none of them (as fuzz/ is kept apart). Built by the scripts beside this file.
import Foundation
import PackageDescription

/// The CallAudio package is the folder above; SwiftPM names a path dependency after its folder.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let callAudio = root.lastPathComponent.lowercased()

let package = Package(
    name: "CallAudioBenchmarks",
    dependencies: [
        .package(path: root.path),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // Times each DSP stage alone (benchmarks/RESULTS.md, section 2).
        .executableTarget(
            name: "dsp-bench",
            dependencies: [
                .product(name: "CallAudio", package: callAudio), .product(name: "AudioTesting", package: callAudio),
            ],
            path: "DSPBench"),
        // Queue throughput and overhead (benchmarks/RESULTS.md, section 3).
        .executableTarget(
            name: "queue-bench",
            dependencies: [
                .product(name: "Jobs", package: callAudio), .product(name: "CallAudioJobs", package: callAudio),
                .product(name: "CallAudio", package: callAudio),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "QueueBench"),
        // The recordings' catalog at scale: list and search pages (benchmarks/RESULTS.md, section 12).
        .executableTarget(
            name: "catalog-bench",
            dependencies: [
                .product(name: "CallRecordings", package: callAudio),
                .product(name: "CallAudioJobs", package: callAudio),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "CatalogBench"),
        // Builds and scores the real-speech set (benchmarks/RESULTS.md, section 14).
        .executableTarget(
            name: "speech-set", dependencies: [.product(name: "AudioTesting", package: callAudio)],
            path: "SpeechSet"),
    ]
)
