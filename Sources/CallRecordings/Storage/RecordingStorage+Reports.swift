import CallAudio
import CallVoicemail
import Foundation

extension RecordingStorage {
    /// The audio's report: `call.json`, or the audio part of an emailed voicemail's `voicemail.json`; nil while
    /// there is none.
    public func report(of metadata: RecordingMetadata) async throws -> CallReport? {
        if metadata.outputName == RecordingMetadata.emailedVoicemailName {
            return try await voicemailReport(of: metadata.id)?.audio
        }
        guard let data = try await data("\(metadata.baseName).json", of: metadata.id) else { return nil }
        return try? JSONDecoder().decode(CallReport.self, from: data)
    }

    /// An emailed voicemail's `voicemail.json` (its audio, email and delivery); nil while there is none.
    public func voicemailReport(of id: String) async throws -> VoicemailReport? {
        guard let data = try await data(VoicemailProcessor.reportName, of: id) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(VoicemailReport.self, from: data)
    }
}
