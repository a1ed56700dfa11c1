extension Enhancement {
    /// What a recording is for, which decides its default clean-up (`recommended(for:)`).
    public enum Use: String, Codable, Sendable, CaseIterable {
        /// Call recordings processed in bulk, every call of the day.
        case call
        /// A voicemail: one short leg, listened to, emailed and usually transcribed.
        case voicemail
        /// A greeting, voicemail drop or recording disclosure: prepared once, played to every caller.
        case prompt
        /// A recording processed chiefly to be transcribed.
        case transcription
    }

    /// The default clean-up for `use`, with the denoiser chosen by cost against benefit
    /// (benchmarks/RESULTS.md, section 5; the README's "Defaults by use"):
    /// - `call`: webrtc `moderate`. It runs at well over 100 times realtime per core, DeepFilterNet3 at about
    ///   5: some 1,450 CPU-seconds per two-leg call-hour against some 45, a fleet of machines at bulk volume.
    /// - `voicemail`, `prompt`, `transcription`: `deep` at the default limit. These are short or few, and
    ///   heard (or read) closely: DeepFilterNet3 raises PESQ well above webrtc and keeps STOI at or above the
    ///   noisy input, where webrtc lowers it.
    ///
    /// A recording for which DeepFilterNet3 is not installed fails with an error saying how to install it;
    /// a caller that prefers to degrade can fall back to `recommended(for: .call)`.
    public static func recommended(for use: Use) -> Enhancement {
        switch use {
        case .call: Enhancement(denoise: .moderate)
        case .voicemail, .prompt, .transcription: Enhancement(denoise: .deep)
        }
    }
}
