import Foundation

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

    /// The default clean-up for `use`, with the denoiser chosen by cost against benefit (the README's
    /// "Defaults by use"; benchmarks/RESULTS.md, "DeepFilterNet3 (`--denoise deep`) against webrtc and the
    /// anchors"):
    /// - `call`: webrtc `moderate`. It runs at hundreds of times realtime per core, DeepFilterNet3 at 4 to 7x
    ///   (about 1,000 to 1,800 CPU-seconds per two-leg call-hour against 10 to 20): at bulk volume, a fleet.
    /// - `voicemail`, `prompt`, `transcription`: `deep` at the default limit. These are short or few, and heard
    ///   (or read) closely: DeepFilterNet3 scores best on PESQ at low SNR and loses less intelligibility
    ///   (STOI) than webrtc's stronger levels.
    ///
    /// Where DeepFilterNet3 is not installed, `deep` fails with an error saying how to install it; a caller
    /// that prefers to degrade can fall back to `recommended(for: .call)`.
    public static func recommended(for use: Use) -> Enhancement {
        switch use {
        case .call: Enhancement(denoise: .moderate)
        case .voicemail, .prompt, .transcription: Enhancement(denoise: .deep)
        }
    }

    /// `recommended(for:)` as this machine can run it: where that names `deep` and DeepFilterNet3 is not
    /// installed (or fails its checksum), webrtc `moderate` and a one-line notice saying why and how to install
    /// it. A recording is never refused for lack of an optional model; an explicit `--denoise deep` still is.
    public static func recommendedHere(
        for use: Use, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> (enhancement: Enhancement, notice: String?) {
        let recommended = recommended(for: use)
        guard recommended.denoise == .deep else { return (recommended, nil) }
        do {
            _ = try DeepFilterInstallation.locate(environment: environment)
            return (recommended, nil)
        } catch {
            var fallback = recommended
            fallback.denoise = .moderate
            return (fallback, "\(error); using webrtc moderate for this \(use.rawValue)")
        }
    }
}
