import AudioTesting
import Foundation
import Testing

/// `--storage s3://...` given wrong (issue 24): one line naming what is wrong, a usage exit, and never the secret.
@Suite struct StorageOptionTests {
    static let recording = String(repeating: "0", count: 24)

    func delete(storage: String, environment: [String: String]) async throws -> CLIRunner.Result {
        let queue = try Fixtures.scratchFolder("callaudio-storage-option").appendingPathComponent("jobs.db")
        return try await CLIRunner.run(
            ["delete", Self.recording, "--queue", "sqlite:\(queue.path)", "--storage", storage],
            environment: environment)
    }

    @Test func aBucketWithoutCredentialsOrWithoutANameIsAUsageError() async throws {
        let unset = try await delete(
            storage: "s3://calls/recordings", environment: ["AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""])
        #expect(unset.status == 64)
        #expect(
            unset.stderr.hasPrefix("callaudio-server: --storage s3://calls/recordings: AWS_ACCESS_KEY_ID is not set"),
            "\(unset.stderr)")
        #expect(unset.stderr.filter { $0 == "\n" }.count == 1, "\(unset.stderr)")

        let nameless = try await delete(
            storage: "s3://", environment: ["AWS_ACCESS_KEY_ID": "id", "AWS_SECRET_ACCESS_KEY": "secret"])
        #expect(nameless.status == 64)
        #expect(nameless.stderr.contains("--storage: 's3://' names no bucket"), "\(nameless.stderr)")
        #expect(nameless.stderr.filter { $0 == "\n" }.count == 1, "\(nameless.stderr)")
    }

    @Test func anUnreachableBucketFailsInOneLineThatNamesNoSecret() async throws {
        let secret = "do-not-print-this-secret"
        let run = try await delete(
            storage: "s3://calls/recordings",
            environment: [
                "AWS_ENDPOINT_URL": "http://127.0.0.1:9", "AWS_ACCESS_KEY_ID": "callaudio",
                "AWS_SECRET_ACCESS_KEY": secret,
            ])
        #expect(run.status != 0 && run.status != 69, "\(run.stderr)")
        #expect(run.stderr.filter { $0 == "\n" }.count == 1, "\(run.stderr)")
        #expect(!run.stderr.contains(secret) && !run.stdout.contains(secret))
    }
}
