/// The bundled Whisper server (tools/whisper-server: faster-whisper with tiny.en, offline), started once per test
/// process in its pinned environment, for the suites that transcribe real speech.
public enum WhisperTestServer {
    public static let shared = Result {
        let environment = try ExternalTool.output(
            Fixtures.packageRoot.appendingPathComponent("scripts/python-env.sh").path, ["whisper-server"])
        return try ScriptedServer(
            environment + "/bin/python",
            [Fixtures.packageRoot.appendingPathComponent("tools/whisper-server/server.py").path, "--exit-with-stdin"],
            environment: ["HF_HUB_OFFLINE": "1"])
    }

    /// The server's OpenAI-compatible base URL (`CALLAUDIO_TRANSCRIBER_URL`).
    public static func baseURL() throws -> String { "http://127.0.0.1:\(try shared.get().port)/v1" }
}
