import ArgumentParser
import CallAudioCLI
import CallRecordings
import Foundation

/// `--storage`, shared by `serve`, `worker`, `delete` and `recordings`: a folder on this machine (the default), or
/// `s3://BUCKET/PREFIX`, a bucket of an S3-compatible server configured the way AWS's tools are.
enum StorageOption {
    static let help = """
        Where recordings are kept: a folder (created when missing), or s3://BUCKET/PREFIX in an S3-compatible \
        bucket, with AWS_ENDPOINT_URL (path-style, for S3-compatible servers), AWS_REGION (default us-east-1), \
        AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN from the environment. \
        Example: --storage /srv/calls, --storage s3://calls/recordings
        """

    /// The storage `value` names.
    static func open(_ value: String) throws -> any RecordingStorage {
        do {
            return try LocalRecordingStorage(path: value)
        } catch {
            throw exitWith(73, "\(value): cannot create the storage folder")
        }
    }
}

extension RecordingCatalog {
    /// The signer of media links and access tokens, with the key every API node on the database shares (a
    /// storage folder's earlier key file is taken over, so that its links still open).
    func mediaSigner(storage: any RecordingStorage, lifetime: TimeInterval = 6 * 3600) async throws -> MediaSigner {
        let key = try await mediaSigningKey(earlier: (storage as? LocalRecordingStorage)?.earlierSigningKey())
        return MediaSigner(key: key, lifetime: lifetime)
    }
}
