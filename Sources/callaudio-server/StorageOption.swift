import ArgumentParser
import CallAudioCLI
import CallRecordings
import Foundation
import Jobs
import S3

/// Where recordings are kept (`--storage`, shared by `serve`, `worker`, `delete` and `recordings`): a folder on
/// this machine (the default), or `s3://BUCKET/PREFIX`, a bucket of an S3-compatible server configured the way
/// AWS's tools are; and this process's own working folder for a bucket's uploads, renders and jobs (`--work-dir`).
struct StorageOptions: ParsableArguments {
    static let storageHelp = """
        Where recordings are kept: a folder (created when missing), or s3://BUCKET/PREFIX in an S3-compatible \
        bucket, with AWS_ENDPOINT_URL (path-style, for S3-compatible servers), AWS_REGION (default us-east-1), \
        AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN from the environment. \
        Example: --storage /srv/calls, --storage s3://calls/recordings
        """

    @Option(
        help: """
            With --storage s3://...: this process's own folder for uploads in progress, speed renders and the \
            files of the jobs it runs, each removed when done (default: a new folder in the temporary \
            directory). Not shared with other processes. Example: --work-dir /var/tmp/callaudio
            """)
    var workDir: String?

    /// The storage `value` names.
    func open(_ value: String) throws -> any RecordingStorage {
        guard value.hasPrefix("s3://") else {
            do {
                return try LocalRecordingStorage(path: value)
            } catch {
                throw exitWith(73, "\(value): cannot create the storage folder")
            }
        }
        do {
            let place = try S3Location(parsing: value)
            let client = S3Client(bucket: place.bucket, configuration: try S3Configuration())
            return try S3RecordingStorage(client: client, place: place, workFolder: workFolder)
        } catch let error as S3LocationError {
            throw exitWith(64, "\(error)")
        } catch let error as S3ConfigurationError {
            throw exitWith(64, "--storage \(value): \(error)")
        } catch {
            throw exitWith(73, "--work-dir \(workFolder.path): cannot create the folder")
        }
    }

    /// The runner of a worker pool over `storage`: with a bucket, each job's files are fetched into the working
    /// folder and its outputs stored back (`StoredJobRunner`); with a folder, jobs work in it as they are.
    func runner(_ runner: any JobRunner, over storage: (any RecordingStorage)?) throws -> any JobRunner {
        guard let storage, !(storage is LocalRecordingStorage) else { return runner }
        return try StoredJobRunner(
            runner: runner, storage: storage, workFolder: workFolder.appendingPathComponent("jobs"))
    }

    private var workFolder: URL {
        URL(
            fileURLWithPath: workDir
                ?? FileManager.default.temporaryDirectory.appendingPathComponent(
                    "callaudio-\(ProcessInfo.processInfo.processIdentifier)"
                ).path)
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
