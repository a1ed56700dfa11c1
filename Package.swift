// swift-tools-version: 6.0
import PackageDescription

/// CallAudio: the audio pipeline behind call recordings and voicemail.
///
/// Each C library is reached through its own tiny system-library target (as SwiftNIO keeps `CNIOLinux`);
/// `AudioCore` holds the streaming vocabulary with no dependencies; `CallAudio` holds the stages and the
/// recipes that run them; `callaudio` is the thin command line over it.
let package = Package(
    name: "CallAudio",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "AudioCore", targets: ["AudioCore"]),
        .library(name: "CallAudio", targets: ["CallAudio"]),
        .library(name: "CallAudioJobs", targets: ["CallAudioJobs"]),
        .executable(name: "callaudio", targets: ["callaudio"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CSndFile", pkgConfig: "sndfile", providers: [.apt(["libsndfile1-dev"])]),
        .systemLibrary(
            name: "CLame", pkgConfig: "lame", providers: [.apt(["libmp3lame-dev"])]),
        .systemLibrary(
            name: "CSoxr", pkgConfig: "soxr", providers: [.apt(["libsoxr-dev"])]),
        .systemLibrary(
            name: "CWebRTCAudio", pkgConfig: "webrtc-audio-processing",
            providers: [.apt(["libwebrtc-audio-processing-dev"])]),
        .systemLibrary(
            name: "COpus", pkgConfig: "opus", providers: [.apt(["libopus-dev"])]),
        .systemLibrary(
            name: "CEbur128", pkgConfig: "libebur128", providers: [.apt(["libebur128-dev"])]),
        // libsonic ships no pkg-config file: its module map links "sonic" itself.
        .systemLibrary(name: "CSonic", providers: [.apt(["libsonic-dev"])]),
        // The plain C API over webrtc's C++ AudioProcessing. SwiftPM drops the -D flags of the library's
        // pkg-config file, so they are repeated here.
        .target(
            name: "CAudioProcessing",
            dependencies: ["CWebRTCAudio"],
            cxxSettings: [
                .define("WEBRTC_POSIX"),
                .define("WEBRTC_AUDIO_PROCESSING_ONLY_BUILD"),
            ]),
        .target(name: "AudioCore"),
        .target(name: "AudioTesting", dependencies: ["AudioCore", "CSndFile"]),
        .target(
            name: "CallAudio",
            dependencies: [
                "AudioCore", "CSndFile", "CLame", "CSoxr", "CAudioProcessing", "CEbur128", "CSonic", "COpus",
            ]),
        .target(
            name: "CallAudioJobs",
            dependencies: [
                "CallAudio",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        // The recording service: HTTP routes over the queue and the storage folder (issue 10).
        .target(
            name: "CallAudioServer",
            dependencies: [
                "CallAudio",
                "CallAudioJobs",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        .executableTarget(
            name: "callaudio",
            dependencies: [
                "CallAudio",
                "CallAudioJobs",
                "CallAudioServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // Not part of `swift test`: times each DSP stage alone (benchmarks/RESULTS.md, section 2).
        .executableTarget(
            name: "dsp-bench", dependencies: ["CallAudio", "AudioTesting"], path: "benchmarks/DSPBench"),
        .testTarget(name: "AudioCoreTests", dependencies: ["AudioCore", "AudioTesting"]),
        .testTarget(
            name: "CallAudioTests", dependencies: ["CallAudio", "AudioTesting", "CSndFile", "COpus"]),
        .testTarget(name: "CLITests", dependencies: ["CallAudio", "AudioTesting"]),
        .testTarget(name: "DSPTests", dependencies: ["CallAudio", "AudioTesting"]),
        // Not part of `swift test`: queue throughput and overhead (benchmarks/RESULTS.md, section 3).
        .executableTarget(
            name: "queue-bench",
            dependencies: [
                "CallAudioJobs", "CallAudio",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "benchmarks/QueueBench"),
        .testTarget(name: "JobQueueTests", dependencies: ["CallAudioJobs", "CallAudio", "AudioTesting"]),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "CallAudioServer", "CallAudioJobs", "CallAudio", "AudioTesting",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]),
    ]
)
