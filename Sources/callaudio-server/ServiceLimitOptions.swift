import ArgumentParser
import CallAudioCLI
import CallAudioServer
import CallRecordings
import Foundation
import Logging

/// `serve`'s defences against slow and greedy clients: connection deadlines and cap, signed ingest, and how much
/// work one request may ask for.
struct ServiceLimitOptions: ParsableArguments {
    @Option(help: "Close a connection with no request under way after this many seconds. Example: --idle-timeout 60")
    var idleTimeout: Double = 60

    @Option(
        help: ArgumentHelp(
            "Seconds from a request's first byte to the end of its headers before the connection is closed. "
                + "Example: --head-timeout 20"))
    var headTimeout: Double = 20

    @Option(
        help: ArgumentHelp(
            "Seconds a request body may take before --min-body-rate applies: its deadline is this plus one second "
                + "for every --min-body-rate bytes received. Example: --body-timeout 20"))
    var bodyTimeout: Double = 20

    @Option(help: "The slowest average upload tolerated, in bytes per second. Example: --min-body-rate 1024")
    var minBodyRate: Int = 1024

    @Option(
        help: ArgumentHelp(
            "Connections served at once; more wait to be accepted. Each takes a file descriptor: the service raises "
                + "its descriptor limit to the hard limit at start and refuses a cap that does not fit in it "
                + "(raise the hard limit with ulimit -Hn or LimitNOFILE=). Example: --max-connections 512"))
    var maxConnections: Int = 512

    @Flag(
        help: ArgumentHelp(
            "Accept POST /v1/calls and /v1/voicemails signed with CALLAUDIO_WEBHOOK_SECRET (Standard Webhooks) "
                + "instead of an API key. Off by default."))
    var signedIngest = false

    @Option(
        help: ArgumentHelp(
            "The largest signed upload, in MiB: held in memory until its signature is checked, so nothing "
                + "unauthenticated reaches the disk. Example: --max-signed-upload-mb 16"))
    var maxSignedUploadMB: Int = 16

    @Option(help: "The most legs one call may have; more get 400. Example: --max-legs 16")
    var maxLegs: Int = 16

    @Option(
        help: ArgumentHelp(
            "The longest call taken, offsets included, in minutes; longer ones get 400 (or fail when only decoding "
                + "shows it). Example: --max-call-minutes 240"))
    var maxCallMinutes: Double = 240

    func validate() throws {
        for (name, value) in [
            ("--idle-timeout", idleTimeout), ("--head-timeout", headTimeout), ("--body-timeout", bodyTimeout),
            ("--max-call-minutes", maxCallMinutes),
        ] where !(value.isFinite && value > 0) {
            throw ValidationError(
                "\(name) must be a positive number of \(name == "--max-call-minutes" ? "minutes" : "seconds").")
        }
        if minBodyRate < 1 { throw ValidationError("--min-body-rate must be at least 1 byte per second.") }
        if maxConnections < 1 { throw ValidationError("--max-connections must be at least 1.") }
        if maxSignedUploadMB < 1 { throw ValidationError("--max-signed-upload-mb must be at least 1.") }
        if maxLegs < 1 { throw ValidationError("--max-legs must be at least 1.") }
    }

    var connections: ConnectionLimits {
        ConnectionLimits(
            idleTimeout: idleTimeout, headTimeout: headTimeout, bodyTimeout: bodyTimeout, minBodyRate: minBodyRate,
            maxConnections: maxConnections)
    }

    var ingest: IngestLimits { IngestLimits(maxLegs: maxLegs, maxCallSeconds: maxCallMinutes * 60) }

    /// Raises this process's descriptor limit to its hard limit and checks that `--max-connections` fits in it
    /// with room for the queue, the files being served and the workers.
    func raiseDescriptorLimit(logger: Logger) throws {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
            _ = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        let reserve = 256
        guard UInt64(maxConnections) + UInt64(reserve) <= UInt64(limit.rlim_cur) else {
            throw ValidationError(
                "--max-connections \(maxConnections) does not fit in the descriptor limit \(limit.rlim_cur) with "
                    + "\(reserve) to spare: lower it, or raise the hard limit (ulimit -Hn, systemd's LimitNOFILE=).")
        }
        logger.info(
            "serving connections", metadata: ["max": "\(maxConnections)", "descriptor limit": "\(limit.rlim_cur)"])
    }
}
