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
    ],
    targets: [
        .systemLibrary(
            name: "CSndFile", pkgConfig: "sndfile", providers: [.apt(["libsndfile1-dev"])]),
        .systemLibrary(
            name: "CLame", pkgConfig: "lame", providers: [.apt(["libmp3lame-dev"])]),
        .systemLibrary(
            name: "CSoxr", pkgConfig: "soxr", providers: [.apt(["libsoxr-dev"])]),
        .target(name: "AudioCore"),
        .target(name: "AudioTesting", dependencies: ["AudioCore", "CSndFile"]),
        .target(
            name: "CallAudio",
            dependencies: ["AudioCore", "CSndFile", "CLame", "CSoxr"]),
        .target(
            name: "CallAudioJobs",
            dependencies: [
                "CallAudio",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        .executableTarget(
            name: "callaudio",
            dependencies: [
                "CallAudio",
                "CallAudioJobs",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(name: "AudioCoreTests", dependencies: ["AudioCore", "AudioTesting"]),
        .testTarget(
            name: "CallAudioTests", dependencies: ["CallAudio", "AudioTesting", "CSndFile"]),
        .testTarget(name: "CLITests", dependencies: ["CallAudio", "AudioTesting"]),
        .executableTarget(
            name: "callaudio-queue-benchmark",
            dependencies: [
                "CallAudioJobs", "CallAudio",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "benchmarks/queue"),
        .testTarget(name: "JobQueueTests", dependencies: ["CallAudioJobs", "CallAudio", "AudioTesting"]),
    ]
)
