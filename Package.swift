// swift-tools-version: 6.0
import PackageDescription

// CallAudio: the audio pipeline behind call recordings and voicemail, in declared layers. Each layer depends only
// on the ones above it, and the targets appear below in that order.
//
// 1. C shims: one tiny system-library target per C library (as SwiftNIO keeps `CNIOLinux`), two small C/C++
//    wrappers where Swift cannot call the library directly.
// 2. Core, with no network or database: the streaming vocabulary (`AudioCore`, no dependencies), captured calls,
//    the stages and recipes (`CallAudio`), transcription, prompts, email and voicemail (sending behind the
//    `MailTransport` and `HTTPTransport` protocols).
// 3. Adapters to the outside: SMTP on SwiftNIO (`CallMailSMTP`), HTTP on SwiftNIO (`CallHTTP`), Standard Webhooks
//    (`CallWebhooks`).
// 4. The job queue, knowing no job kinds: the job state machine, the `JobQueue` protocol, the worker pool and crash
//    isolation (`Jobs`), and its two stores as targets of their own (`JobsSQLite`, `JobsPostgres`).
// 5. The application: the job kinds and their runner (`CallAudioJobs`), a recording's life with no HTTP in it
//    (`CallRecordings`), the HTTP routes over it (`CallAudioServer`), and what the two command lines share
//    (`CallAudioCLI`).
// 6. Executables: `callaudio`, the offline audio tool (no HTTP, no database), and `callaudio-server`, the service
//    and the queue.
// Test support and tests come last. Benchmarks (benchmarks/) and the fuzz targets (fuzz/) are packages of their
// own.

/// 1. One target per C library.
let cShims: [Target] = [
    .systemLibrary(
        name: "CSndFile", pkgConfig: "sndfile", providers: [.apt(["libsndfile1-dev"])]),
    // libsndfile's MP3 decoder (libmpg123) made quiet: it printed raw lines on damaged files.
    .target(name: "CQuietMPG123", linkerSettings: [.linkedLibrary("dl")]),
    // libopus's decoder size answered once per channel count: its multistream decoder (Ogg/Opus through
    // libsndfile) asked for it on every packet, and each answer cost a CPUID, which traps on a virtual machine.
    .target(name: "COpusDecoderSize", linkerSettings: [.linkedLibrary("dl")]),
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
    // PocketSphinx's C API as function pointer types only, loaded with dlopen when the embedded engine first
    // runs: linked, it loads 18 libraries (BLAS, LAPACK, PulseAudio, X11, ...) into every command.
    .systemLibrary(name: "CPocketSphinx"),
    // libsonic ships no pkg-config file: its module map links "sonic" itself.
    .systemLibrary(name: "CSonic", providers: [.apt(["libsonic-dev"])]),
    // DeepFilterNet's C API as function pointer types only: the library is loaded with dlopen at run time
    // (scripts/install-deepfilter.sh installs it), never linked, so the package builds without it.
    .systemLibrary(name: "CDeepFilter"),
    // ONNX Runtime's C API (the function table it hands out) as declarations only: the library is loaded with
    // dlopen at run time (scripts/install-moonshine.sh installs it), never linked, so the package builds without it.
    .systemLibrary(name: "COnnxRuntime"),
    .systemLibrary(name: "CPcap", pkgConfig: "libpcap", providers: [.apt(["libpcap-dev"])]),
    .systemLibrary(name: "CSpanDSP", pkgConfig: "spandsp", providers: [.apt(["libspandsp-dev"])]),
    // OpenSSL's libcrypto, for the SHA-256 of DeepFilterNet's files: the system's, not a TLS library compiled
    // into the audio core, and as function pointer types loaded with dlopen by `--denoise deep` alone.
    .systemLibrary(name: "CLibCrypto"),
    // FFmpeg's libavformat, libavcodec, libswresample and libavutil, for MP4/M4A (AAC): one module rather than one
    // per library, because they are one project whose headers include one another (libavformat's declare
    // libavcodec's and libavutil's types), and split modules would each hold a copy of the shared declarations.
    .systemLibrary(
        name: "CFFmpeg", pkgConfig: "libavformat",
        providers: [.apt(["libavformat-dev", "libavcodec-dev", "libavutil-dev", "libswresample-dev"])]),
    // The plain C API over libwebm's C++ WebmParser: the audio frames of a WebM file (browser recordings).
    .target(name: "CWebM", linkerSettings: [.linkedLibrary("webm")]),
    // The plain C API over webrtc's C++ AudioProcessing. SwiftPM drops the -D flags of the library's
    // pkg-config file, so they are repeated here.
    .target(
        name: "CAudioProcessing",
        dependencies: ["CWebRTCAudio"],
        cxxSettings: [
            .define("WEBRTC_POSIX"),
            .define("WEBRTC_AUDIO_PROCESSING_ONLY_BUILD"),
        ]),
]

/// 2. Core: no network, no database.
let core: [Target] = [
    .target(name: "AudioCore"),
    // One HTTP request and its reply behind the `HTTPTransport` protocol, for the engines that talk to a server.
    .target(name: "HTTPExchange"),
    // Captured calls (pcap/pcapng): packets, SIP/SDP and RTP streams, with no audio codec in sight.
    .target(name: "CallCapture", dependencies: ["AudioCore", "CPcap"]),
    .target(
        name: "CallAudio",
        dependencies: [
            "AudioCore", "CSndFile", "CQuietMPG123", "COpusDecoderSize", "CLame", "CSoxr", "CAudioProcessing",
            "CEbur128", "CSonic", "COpus",
            "CDeepFilter", "CLibCrypto", "CallCapture", "CSpanDSP", "CWebM", "CFFmpeg",
        ]),
    // Speech to text per leg, behind the `Transcriber` protocol: engines, the merged transcript and its files.
    .target(
        name: "CallTranscription", dependencies: ["AudioCore", "CallAudio", "CPocketSphinx", "COnnxRuntime", "HTTPExchange"]),
    // Prompts (greetings, voicemail drops, disclosures) prepared for the phone network.
    .target(name: "CallPrompts", dependencies: ["AudioCore", "CallAudio"]),
    // Email: the MIME writer and the voicemail templates; knows nothing of audio beyond the bytes it attaches.
    .target(name: "CallMail", dependencies: ["AudioCore", .product(name: "Mustache", package: "swift-mustache")]),
    // A voicemail: the recording cleaned, trimmed and encoded, then announced by email.
    .target(name: "CallVoicemail", dependencies: ["CallAudio", "CallMail", "CallTranscription"]),
]

/// 3. Adapters to the outside world.
let adapters: [Target] = [
    // SMTP submission on SwiftNIO with NIOSSL (STARTTLS or implicit TLS, AUTH), driving CallMail's SMTPSession.
    .target(
        name: "CallMailSMTP",
        dependencies: [
            "CallMail",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
    // HTTP/1.1 on SwiftNIO with NIOSSL, the `HTTPTransport` of the transcription engine and the webhooks.
    .target(
        name: "CallHTTP",
        dependencies: [
            "HTTPExchange",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
    // S3-compatible object storage (issue 24): AWS Signature Version 4 (`Signing/`) and a small client on
    // async-http-client (`Client/`): objects, ranged and streamed reads, multipart upload, listing, deletion.
    .target(
        name: "S3",
        dependencies: [
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
    // Standard Webhooks: signing, verifying, and sending one event (the queue retries).
    .target(
        name: "CallWebhooks",
        dependencies: ["AudioCore", "HTTPExchange", "CallHTTP", .product(name: "Crypto", package: "swift-crypto")]),
]

/// 4. The job queue: no job kinds, no audio.
let queue: [Target] = [
    .target(
        name: "Jobs",
        dependencies: [
            "AudioCore",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Metrics", package: "swift-metrics"),
        ]),
    .target(name: "JobsSQLite", dependencies: ["Jobs", .product(name: "GRDB", package: "GRDB.swift")]),
    .target(
        name: "JobsPostgres",
        dependencies: [
            "Jobs", .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
]

/// 5. The application.
let application: [Target] = [
    // The job kinds (call, voicemail, reencode, transcribe, webhook), their documented recipe format, and the
    // runner that hands each to the audio library, the transcription stage, the mail sender or the webhook sender.
    .target(
        name: "CallAudioJobs",
        dependencies: [
            "Jobs", "JobsSQLite", "JobsPostgres", "AudioCore", "CallAudio", "CallTranscription", "CallVoicemail",
            "CallMailSMTP", "CallWebhooks", "CallHTTP", "CallPrompts",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
    // A recording's life with no HTTP in it: storage, the catalog in the queue's database (`Catalog/`), ingest,
    // deletion, the events it announces. Used by the routes, the workers and the command line alike.
    .target(
        name: "CallRecordings",
        dependencies: [
            "CallAudio", "CallTranscription", "Jobs", "JobsSQLite", "JobsPostgres", "CallAudioJobs", "CallVoicemail",
            "CallMail", "CallMailSMTP", "CallWebhooks", "S3",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
    // The recording service: HTTP routes over the queue and the storage folder (issue 10).
    .target(
        name: "CallAudioServer",
        dependencies: [
            "CallRecordings",
            "CallWebhooks",
            "CallVoicemail",
            "CallMail",
            "CallMailSMTP",
            .product(name: "HTTPTypes", package: "swift-http-types"),
            "CallAudio",
            "Jobs",
            "CallAudioJobs",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "MultipartKit", package: "multipart-kit"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ],
        // The API document and the player's script are files of their own, compiled into the binary.
        resources: [
            .embedInCode("Resources/openapi.yaml"), .embedInCode("Resources/player.js"),
            .embedInCode("Resources/prompt-recorder.js"),
        ]),
    // What both command lines share: option groups, error lines and exit statuses, the program's entry.
    .target(
        name: "CallAudioCLI",
        dependencies: [
            "CallAudio", "CallTranscription", "CallVoicemail", "CallMail", "CallMailSMTP", "CallHTTP",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
]

/// 6. The two command lines.
let executables: [Target] = [
    // The offline audio tool: no HTTP, no database (issue 21).
    .executableTarget(
        name: "callaudio",
        dependencies: [
            "CallAudioCLI", "CallAudio", "CallTranscription", "CallVoicemail", "CallPrompts", "CallMailSMTP",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
    // The recording service and the job queue.
    .executableTarget(
        name: "callaudio-server",
        dependencies: [
            "CallAudioCLI",
            "CallAudio",
            "Jobs",
            "CallAudioJobs",
            "CallVoicemail",
            "CallMailSMTP",
            "CallRecordings",
            "CallAudioServer",
            "CallWebhooks",
            "S3",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
]

/// Doubles, signals and independent readers for the tests and benchmarks.
let testSupport: [Target] = [
    .target(name: "AudioTesting", dependencies: ["AudioCore", "CSndFile"]),
    // Reads a message back with Python's `email` package, for tests.
    .target(name: "MailTesting", dependencies: ["AudioTesting"]),
]

/// The tests, one target per area.
let tests: [Target] = [
    .testTarget(name: "AudioCoreTests", dependencies: ["AudioCore", "AudioTesting"]),
    .testTarget(
        name: "CallAudioTests", dependencies: ["CallAudio", "AudioTesting", "CSndFile", "COpus"],
        exclude: ["FuzzRegressions"]),
    .testTarget(name: "CLITests", dependencies: ["CallAudio", "AudioTesting", "CallVoicemail", "MailTesting"]),
    .testTarget(name: "DSPTests", dependencies: ["CallAudio", "AudioTesting"]),
    .testTarget(
        name: "TranscriptionTests", dependencies: ["CallTranscription", "CallAudio", "CallHTTP", "AudioTesting"]),
    .testTarget(name: "CallCaptureTests", dependencies: ["CallCapture", "CallAudio", "AudioTesting"]),
    .testTarget(name: "CallMailTests", dependencies: ["CallMail", "MailTesting"]),
    .testTarget(name: "CallMailSMTPTests", dependencies: ["CallMailSMTP", "CallMail", "MailTesting"]),
    .testTarget(name: "PromptTests", dependencies: ["CallPrompts", "CallAudio", "AudioTesting"]),
    .testTarget(name: "WebhookTests", dependencies: ["CallWebhooks"]),
    .testTarget(
        name: "S3Tests",
        dependencies: [
            "S3", "AudioTesting",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
    .testTarget(
        name: "JobQueueTests",
        dependencies: [
            "Jobs", "JobsSQLite", "JobsPostgres", "CallAudioJobs", "CallRecordings", "CallAudio", "CallWebhooks",
            "CallVoicemail", "CallPrompts", "AudioTesting", "MailTesting", "S3",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
    .testTarget(
        name: "ServerTests",
        dependencies: [
            "CallAudioServer", "CallRecordings", "Jobs", "JobsSQLite", "CallAudioJobs", "CallAudio", "CallWebhooks",
            "CallMailSMTP", "CallPrompts",
            "AudioTesting",
            "MailTesting",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
]

let package = Package(
    name: "CallAudio",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "AudioCore", targets: ["AudioCore"]),
        // Test doubles and signal generators, for the benchmarks package (benchmarks/Package.swift).
        .library(name: "AudioTesting", targets: ["AudioTesting"]),
        .library(name: "CallAudio", targets: ["CallAudio"]),
        .library(name: "Jobs", targets: ["Jobs"]),
        .library(name: "CallAudioJobs", targets: ["CallAudioJobs"]),
        .library(name: "CallRecordings", targets: ["CallRecordings"]),
        .library(name: "CallWebhooks", targets: ["CallWebhooks"]),
        .library(name: "CallTranscription", targets: ["CallTranscription"]),
        .library(name: "CallMail", targets: ["CallMail"]),
        .library(name: "CallVoicemail", targets: ["CallVoicemail"]),
        .executable(name: "callaudio", targets: ["callaudio"]),
        .executable(name: "callaudio-server", targets: ["callaudio-server"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // SHA-256 of DeepFilterNet's files and the service's signatures. postgres-nio already brings it in and
        // resolves it to 4.x, hence a range from the listed 3.12.3 rather than `from:` (which would force 3.x).
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // HTTP parts as swift-http-types (what Hummingbird's channel carries), for the slow-client guard.
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
        // The S3 client's HTTP: a connection pool, streamed request and response bodies.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: cShims + core + adapters + queue + application + executables + testSupport + tests
)
