import AudioCore
import CallCapture

/// Everything needed to turn the captured legs of one finished call into its outputs.
///
/// A recipe is plain data: the CLI builds one from flags, a queued job carries one, and any worker on any
/// machine runs it with `CallProcessor`. Paths are taken as given (absolute paths travel best between machines).
public struct CallRecipe: Codable, Sendable, Hashable {
    /// One captured leg of the call.
    public struct Leg: Codable, Sendable, Hashable {
        /// The file holding this leg's audio, in any format libsndfile reads.
        public var path: String
        /// Seconds after the first leg's start at which this leg starts (may be negative).
        public var offset: Double
        /// For a dual-channel recording split into legs: the channel (0-based) this leg is taken from.
        /// Nil mixes all of the file's channels down to one.
        public var channel: Int?
        /// Who speaks on this leg ("caller", "agent"), for tags, reports and transcripts.
        public var role: String?
        /// For a leg taken from a packet capture (`path` is a pcap/pcapng): the RTP stream it is. A capture
        /// given without one is expanded into one leg per decodable stream when the recipe runs.
        public var capturedStream: CapturedStream?

        public init(
            path: String, offset: Double = 0, channel: Int? = nil, role: String? = nil,
            capturedStream: CapturedStream? = nil
        ) {
            self.path = path
            self.offset = offset
            self.channel = channel
            self.role = role
            self.capturedStream = capturedStream
        }
    }

    /// One RTP stream of a capture, with how to decode it (decided from the capture's SIP signalling).
    public struct CapturedStream: Codable, Sendable, Hashable {
        public var source: Endpoint
        public var destination: Endpoint
        public var payloadType: Int
        public var codec: Codec
        /// How the codec was chosen, in words, for the report.
        public var codecChoice: String
        /// The payload type of RFC 4733 telephone events (DTMF) on this stream, when negotiated or seen.
        public var telephoneEventType: Int?
        /// The stream's RTP clock against the capture clock, in ppm; corrected by resampling.
        public var driftPPM: Double?

        public init(
            source: Endpoint, destination: Endpoint, payloadType: Int, codec: Codec, codecChoice: String,
            telephoneEventType: Int?, driftPPM: Double?
        ) {
            self.source = source
            self.destination = destination
            self.payloadType = payloadType
            self.codec = codec
            self.codecChoice = codecChoice
            self.telephoneEventType = telephoneEventType
            self.driftPPM = driftPPM
        }
    }

    /// How the legs are laid out in the output.
    public enum Layout: String, Codable, Sendable, CaseIterable {
        /// All legs summed into one channel, with headroom and a limiter.
        case mono
        /// Leg 1 on the left channel, leg 2 on the right.
        case stereo
    }

    public var legs: [Leg]
    public var layout: Layout
    /// The sample rate of the mix and of every output (legs are resampled to it).
    public var sampleRate: Int
    /// The folder that receives `call.mp3` (or `call.wav`) and `call.json`.
    public var outputDirectory: String
    /// The base name of the outputs, without extension ("call" gives `call.mp3` and `call.json`).
    public var outputName: String
    public var encoding: Encoding
    public var tags: Tags
    /// Noise suppression, echo removal, loudness and speed copies (defaults when absent from older JSON).
    public var enhancement: Enhancement
    /// When set, silence before the first and after the last sound of the mix is cut to this many seconds
    /// (a voicemail); nil keeps the whole timeline (a call).
    public var trimSilenceKeeping: Double?
    /// A transcript to make once the audio is done (a follow-up job when queued); nil for none.
    public var transcription: TranscriptionRequest?
    /// The longest call the run may make, in seconds: a leg (with its offset) or a mix past it fails the run
    /// before or as soon as it gets there; nil for no limit (older JSON).
    public var maxDuration: Double?

    public init(
        legs: [Leg], layout: Layout = .mono, sampleRate: Int = 16_000, outputDirectory: String,
        outputName: String = "call", encoding: Encoding = Encoding(), tags: Tags = Tags(),
        enhancement: Enhancement = Enhancement(), trimSilenceKeeping: Double? = nil,
        transcription: TranscriptionRequest? = nil
    ) {
        self.legs = legs
        self.layout = layout
        self.sampleRate = sampleRate
        self.outputDirectory = outputDirectory
        self.outputName = outputName
        self.encoding = encoding
        self.tags = tags
        self.enhancement = enhancement
        self.trimSilenceKeeping = trimSilenceKeeping
        self.transcription = transcription
    }

    /// Every file a run writes: the call, its speed copies, its waveform and its report.
    public var outputPaths: [String] {
        let base = "\(outputDirectory)/\(outputName)"
        let audio = enhancement.speeds.map { Enhancement.suffix(forSpeed: $0) }
        return ([""] + audio).map { "\(base)\($0).\(encoding.container.fileExtension)" } + [
            "\(base).waveform.json", "\(base).json",
        ]
    }

    /// The format of the mixed stream this recipe produces.
    public var mixFormat: AudioFormat {
        AudioFormat(sampleRate: sampleRate, channelCount: layout == .stereo ? 2 : 1)
    }
}

/// The container and codec settings of an encoded output.
public struct Encoding: Codable, Sendable, Hashable {
    public enum Container: String, Codable, Sendable, CaseIterable {
        case mp3
        case wav

        public var fileExtension: String { rawValue }
    }

    public var container: Container
    /// Constant bit rate in kbit/s; nil picks the default for the channel count (32 mono, 48 stereo).
    public var bitrate: Int?
    /// LAME VBR quality 0 (best) ... 9 (smallest); when set, the MP3 is VBR and `bitrate` is ignored.
    public var vbrQuality: Int?

    public init(container: Container = .mp3, bitrate: Int? = nil, vbrQuality: Int? = nil) {
        self.container = container
        self.bitrate = bitrate
        self.vbrQuality = vbrQuality
    }

    /// The CBR bit rate used for `channelCount` channels when none is given.
    public static func defaultBitrate(channelCount: Int) -> Int { channelCount > 1 ? 48 : 32 }
}

/// Descriptive metadata written into the output's ID3v2 tag.
public struct Tags: Codable, Sendable, Hashable {
    public var title: String?
    public var artist: String?
    /// The call's date, as ISO 8601 (`2026-11-21` or a full timestamp).
    public var date: String?
    public var comment: String?
    /// The call's identifier in the phone system.
    public var callID: String?
    /// Who speaks on each leg, in leg order ("caller", "agent").
    public var legRoles: [String]?

    public init(
        title: String? = nil, artist: String? = nil, date: String? = nil, comment: String? = nil,
        callID: String? = nil, legRoles: [String]? = nil
    ) {
        self.title = title
        self.artist = artist
        self.date = date
        self.comment = comment
        self.callID = callID
        self.legRoles = legRoles
    }
}
