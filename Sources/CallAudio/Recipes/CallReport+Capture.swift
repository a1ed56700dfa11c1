import CallCapture

extension CallReport {
    /// One RTP stream decoded as a leg: where it came from, how its codec was chosen, and its packets' fate.
    public struct CapturedLeg: Codable, Sendable, Equatable {
        public var source: Endpoint
        public var destination: Endpoint
        /// Every SSRC the stream used, in order (a new SSRC on the same addresses continues the leg).
        public var ssrcs: [UInt32]
        public var payloadType: Int
        /// "PCMA/8000", "opus/48000", ...
        public var codec: String
        public var codecChoice: String
        /// Packets decoded into the timeline (unique sequence numbers received).
        public var packets: Int
        /// Unique sequence numbers never received (concealed).
        public var lost: Int
        public var duplicated: Int
        public var reordered: Int
        /// Packets that came after the jitter window had passed them (dropped; included in `lost`).
        public var late: Int
        public var dtmf: [DTMFDigit]
        /// Timestamp gaps with no missing sequence numbers: the sender's silence suppression (or a DTMF event).
        public var silenceSuppressionGaps: Int
        /// The sender's RTP clock against the capture clock, in parts per million, corrected by resampling;
        /// nil when it adds up to under 2 ms over the leg (within network jitter).
        public var driftPPM: Double?
        /// Times the sender's RTP timestamps jumped away from the capture clock (a damaged packet, a restarted
        /// clock): the leg went on where the capture time placed it. Nil when they never did.
        public var timestampJumps: Int? = nil
    }

    /// A DTMF digit sent as an RFC 4733 telephone event.
    public struct DTMFDigit: Codable, Sendable, Equatable {
        public var digit: String
        /// Seconds from the start of the output at which the digit was pressed.
        public var time: Double
        public var duration: Double
    }

    /// An RTP stream of a capture that was not decoded.
    public struct SkippedStream: Codable, Sendable, Equatable {
        public var path: String
        public var source: Endpoint
        public var destination: Endpoint
        public var ssrcs: [UInt32]
        public var packets: Int
        public var reason: String
    }
}
