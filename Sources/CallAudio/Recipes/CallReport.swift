/// What processing a call produced: written next to the audio as `call.json` and kept as a job's result.
public struct CallReport: Codable, Sendable, Equatable {
    /// One input leg as it was decoded.
    public struct Leg: Codable, Sendable, Equatable {
        public var path: String
        public var role: String?
        /// The file's container and encoding as libsndfile names them ("WAV / U-Law").
        public var format: String
        public var sampleRate: Int
        public var channels: Int
        /// The channel taken from the file, when the file was split into legs.
        public var channel: Int?
        /// Seconds of audio decoded from this leg.
        public var duration: Double
        /// Seconds after the start of the output at which this leg starts.
        public var offset: Double
        /// Highest absolute sample, in dBFS (-inf for digital silence is reported as -200).
        public var peakDBFS: Double
        /// Root-mean-square level over the whole leg, in dBFS.
        public var rmsDBFS: Double
        /// "whole", or "partial" when the file ended before its header said it would (truncated).
        public var completeness: Completeness
        /// Decoded samples that were NaN, infinite or beyond full scale and were replaced by silence or clipped
        /// (a damaged or mislabelled file); 0 for a healthy one (nil in older reports).
        public var repairedSamples: Int? = nil
        /// Loudness, noise floor and speech share before and after the DSP stages (nil in older reports).
        public var enhancement: LegEnhancement? = nil
        /// For a leg decoded from a packet capture: its RTP stream and what happened to its packets.
        public var capture: CapturedLeg? = nil
    }

    public enum Completeness: String, Codable, Sendable {
        case whole
        case partial
    }

    /// One file written.
    public struct Output: Codable, Sendable, Equatable {
        public var path: String
        public var bytes: Int
        /// Seconds of audio in the file.
        public var duration: Double
    }

    public var callID: String?
    /// Seconds from the earliest leg start to the latest leg end.
    public var duration: Double
    public var sampleRate: Int
    public var layout: CallRecipe.Layout
    public var legs: [Leg]
    public var outputs: [Output]
    /// The call's transcript, when it was asked for (nil until it is written, and in older reports).
    public var transcript: Transcript? = nil
    /// RTP streams of a capture that were not decoded (encrypted, unknown codec), each with the reason.
    public var skippedStreams: [SkippedStream]? = nil
    /// The seek bar's peaks, one channel per leg (BBC audiowaveform v2 JSON); nil in older reports.
    public var waveform: String? = nil
}
