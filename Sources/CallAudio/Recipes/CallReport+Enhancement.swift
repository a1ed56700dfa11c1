extension CallReport {
    /// What the DSP stages did to one leg: its loudness and noise floor before and after, and how much of it
    /// is speech.
    public struct LegEnhancement: Codable, Sendable, Equatable {
        /// Integrated loudness (EBU R128) of the leg as captured, in LUFS; nil when not measured or silent.
        public var loudnessBeforeLUFS: Double?
        /// Integrated loudness of the leg as it enters the mix, in LUFS; nil when not levelled or silent.
        public var loudnessAfterLUFS: Double?
        /// The leg's noise floor (the level the quietest tenth of its 10 ms blocks stay under) as captured.
        public var noiseFloorBeforeDBFS: Double
        /// The noise floor as the leg enters the mix: after noise suppression and the loudness gain.
        public var noiseFloorAfterDBFS: Double
        /// The share of the leg's 10 ms frames in which webrtc's voice detector heard speech, 0...1.
        public var speechShare: Double
        /// The noise suppression that ran (`deep` or a webrtc level); nil in reports written before it was recorded.
        public var denoise: NoiseSuppressor.Level?
    }
}
