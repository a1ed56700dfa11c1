import CallAudio
import Foundation

extension Summary {
    /// One line on what the DSP stages did to a leg:
    /// `denoise moderate, loudness -26.7 -> -19.0 LUFS, noise floor -51.5 -> -56.0 dBFS, speech in 61% of the leg`.
    public static func enhancement(_ leg: CallReport.LegEnhancement) -> String {
        func lufs(_ value: Double?) -> String { value.map { String(format: "%.1f", $0) } ?? "-" }
        let denoise = leg.denoise.map { "denoise \($0.rawValue), " } ?? ""
        let loudness =
            leg.loudnessBeforeLUFS == nil && leg.loudnessAfterLUFS == nil
            ? "" : "loudness \(lufs(leg.loudnessBeforeLUFS)) -> \(lufs(leg.loudnessAfterLUFS)) LUFS, "
        return denoise + loudness
            + String(
                format: "noise floor %.1f -> %.1f dBFS, speech in %.0f%% of the leg", leg.noiseFloorBeforeDBFS,
                leg.noiseFloorAfterDBFS, leg.speechShare * 100)
    }
}
