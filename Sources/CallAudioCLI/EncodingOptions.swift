import ArgumentParser
import CallAudio

extension Encoding.Container: ExpressibleByArgument {}

/// The output container and codec flags, shared by every command that writes audio in bulk.
public struct EncodingOptions: ParsableArguments {
    public init() {}

    @Option(help: "Output container: mp3 or wav.")
    public var format: Encoding.Container = .mp3

    @Option(help: "MP3 constant bit rate in kbit/s (default 32 for mono, 48 for stereo).")
    public var bitrate: Int?

    @Option(help: "MP3 variable bit rate quality, 0 (best) to 9 (smallest), instead of a constant bit rate.")
    public var vbrQuality: Int?

    public var encoding: Encoding { Encoding(container: format, bitrate: bitrate, vbrQuality: vbrQuality) }

    public func validate() throws {
        if let bitrate, !(8...320).contains(bitrate) { throw ValidationError("--bitrate must be 8 to 320 kbit/s.") }
        if let vbrQuality, !(0...9).contains(vbrQuality) { throw ValidationError("--vbr-quality must be 0 to 9.") }
        if bitrate != nil && vbrQuality != nil { throw ValidationError("Give --bitrate or --vbr-quality, not both.") }
    }

    /// Refuses a constant-rate MP3 that could not carry its info frame at `sampleRate` (see `MP3Encoder`).
    public func validateSeekExact(sampleRate: Int, channelCount: Int) throws {
        let kbps = bitrate ?? Encoding.defaultBitrate(channelCount: channelCount)
        guard format == .mp3, vbrQuality == nil,
            !MP3Encoder.canHoldInfoFrame(sampleRate: sampleRate, constantKbps: kbps)
        else { return }
        throw ValidationError(
            "A constant \(kbps) kbit/s MP3 at \(sampleRate) Hz cannot be seek-exact: use --bitrate "
                + "\(MP3Encoder.minimumMPEG1Kbps) or more, --vbr-quality, or --sample-rate 24000 or less.")
    }
}
