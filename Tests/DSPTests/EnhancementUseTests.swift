import CallAudio
import Foundation
import Testing

/// The deep denoiser's settings travel in recipes and jobs as JSON, and each use has its default.
@Suite struct EnhancementUseTests {
    @Test func deepAndItsLimitRoundTripAndOldRecipesKeepTheDefaultLimit() throws {
        let deep = Enhancement(denoise: .deep, denoiseLimit: 42)
        let json = try JSONEncoder().encode(deep)
        let fields = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(fields["denoise"] as? String == "deep")
        #expect(fields["denoiseLimit"] as? Double == 42)
        #expect(try JSONDecoder().decode(Enhancement.self, from: json) == deep)
        let old = try JSONDecoder().decode(Enhancement.self, from: Data(#"{"denoise":"high"}"#.utf8))
        #expect(old.denoiseLimit == DeepNoiseSuppressor.defaultAttenuationLimit)
        #expect(
            Enhancement(denoise: .deep, denoiseLimit: 101).problem() == "denoise limit 101.0 dB is outside 1 to 100")
    }

    @Test func bulkCallsUseWebRTCAndCloselyHeardRecordingsUseDeep() {
        #expect(Enhancement.recommended(for: .call).denoise == .moderate)
        for use in [Enhancement.Use.voicemail, .prompt, .transcription] {
            #expect(Enhancement.recommended(for: use).denoise == .deep, "\(use)")
            #expect(Enhancement.recommended(for: use).problem() == nil)
        }
    }

    @Test func whereDeepIsNotInstalledTheDefaultFallsBackToWebRTCAndSaysHowToInstallIt() {
        let missing = [DeepFilterInstallation.environmentVariable: "/nonexistent/deepfilter"]
        let (voicemail, notice) = Enhancement.recommendedHere(for: .voicemail, environment: missing)
        #expect(voicemail.denoise == .moderate)
        #expect(notice?.contains("scripts/install-deepfilter.sh") == true)
        #expect(notice?.contains("using webrtc moderate for this voicemail") == true)
        let (call, callNotice) = Enhancement.recommendedHere(for: .call, environment: missing)
        #expect(call == Enhancement.recommended(for: .call))
        #expect(callNotice == nil)
    }
}
