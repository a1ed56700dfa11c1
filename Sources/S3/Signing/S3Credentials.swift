import Foundation

/// The keys requests to an S3-compatible server are signed with, read the way AWS's own tools read them.
public struct S3Credentials: Sendable {
    public var accessKeyID: String
    public var secretAccessKey: String
    /// A temporary credential's session token (`x-amz-security-token`), when there is one.
    public var sessionToken: String?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    /// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN` from `environment`; nil unless both
    /// keys are set. The secret never appears in an error or a description.
    public init?(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let id = environment["AWS_ACCESS_KEY_ID"], !id.isEmpty,
            let secret = environment["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty
        else { return nil }
        self.init(
            accessKeyID: id, secretAccessKey: secret,
            sessionToken: environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 })
    }
}

extension S3Credentials: CustomStringConvertible {
    /// The access key id only: logs and error messages may show which key, never the secret or the token.
    public var description: String { "S3Credentials(\(accessKeyID))" }
}

extension S3Credentials: CustomReflectable {
    /// The access key id only, so that `dump` and debuggers do not show the secret or the token either.
    public var customMirror: Mirror { Mirror(self, children: ["accessKeyID": accessKeyID]) }
}
