import CallMail
import Foundation

extension VoicemailProcessor {
    /// Sends the email `report` describes (its `voicemail.eml`, byte for byte) and says how it went; a failure is
    /// an outcome, not an error, so that it can be recorded beside the email.
    public static func deliver(_ report: VoicemailReport, with sender: any MailTransport) async
        -> VoicemailReport.Delivery
    {
        let server = sender.destination
        do {
            let message = try Data(contentsOf: URL(fileURLWithPath: report.email.path))
            let reply = try await sender.send(message, from: report.email.from, to: report.email.to)
            return .init(status: .sent, server: server, reply: reply.description)
        } catch let error as SMTPError {
            return .init(status: .failed, server: server, error: error.description, isTransient: !error.isPermanent)
        } catch {
            return .init(status: .failed, server: server, error: "\(error)", isTransient: true)
        }
    }
}
