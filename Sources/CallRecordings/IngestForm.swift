import Foundation

/// What an ingest request carried, as the recording service takes it in: each uploaded file part's name and where
/// it was written, and the text fields. The HTTP layer fills it from a multipart body; nothing here knows HTTP.
public struct IngestForm: Sendable {
    public var files: [String: URL] = [:]
    public var fields: [String: String] = [:]
    /// The file name the client gave each file part (`greeting.m4a`), as it sent it: for messages, never a path.
    public var clientFileNames: [String: String] = [:]

    public init(files: [String: URL] = [:], fields: [String: String] = [:], clientFileNames: [String: String] = [:]) {
        self.files = files
        self.fields = fields
        self.clientFileNames = clientFileNames
    }

    /// The name a leg is kept under in the recording: the part's name plus the extension of the client's file
    /// name (`leg1.wav` from `caller.wav`), the extension only when it is 1 to 5 letters or digits.
    public static func storedName(part: String, fileName: String?) -> String {
        guard let ext = fileName?.split(separator: ".").last, fileName?.contains(".") == true,
            (1...5).contains(ext.count), ext.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        else { return part }
        return "\(part).\(ext.lowercased())"
    }
}
