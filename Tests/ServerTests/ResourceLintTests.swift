import AudioTesting
import Foundation
import Testing

/// The API document and the player's script are real files, checked as what they are: the YAML parses strictly
/// into an OpenAPI 3.1 document whose every operation has answers (pyyaml, from the pinned schemathesis
/// environment), and the script passes `node --check`. schemathesis then checks the document against the live
/// service (APIConformanceTests), and Chromium runs the script (PlayerBrowserTests).
@Suite struct ResourceLintTests {
    static let resources = Fixtures.packageRoot.appendingPathComponent("Sources/CallAudioServer/Resources")

    @Test func theAPIDocumentIsStrictYAMLAndOpenAPI31() throws {
        let python =
            try ExternalTool.output(
                "/bin/bash",
                [Fixtures.packageRoot.appendingPathComponent("scripts/python-env.sh").path, "schemathesis"])
            + "/bin/python"
        let check = #"""
            import sys, yaml
            class Strict(yaml.SafeLoader):
                def construct_mapping(self, node, deep=False):
                    keys = [self.construct_object(key, deep=deep) for key, _ in node.value]
                    duplicates = {key for key in keys if keys.count(key) > 1}
                    if duplicates:
                        raise SystemExit(f"duplicate keys {sorted(duplicates)} at line {node.start_mark.line + 1}")
                    return super().construct_mapping(node, deep)
            document = yaml.load(open(sys.argv[1]), Loader=Strict)
            assert document["openapi"] == "3.1.0", document["openapi"]
            for path, operations in document["paths"].items():
                for method, operation in operations.items():
                    if method in ("get", "put", "post", "delete", "head", "patch", "options", "trace"):
                        assert operation.get("responses"), f"{method} {path} has no responses"
            print(len(document["paths"]))
            """#
        let run = try ExternalTool.run(
            python, ["-c", check, Self.resources.appendingPathComponent("openapi.yaml").path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect((Int(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) >= 8, "\(run.stdout)")
    }

    @Test(arguments: ["player.js", "prompt-recorder.js"])
    func thePagesScriptsAreValidJavaScript(_ script: String) throws {
        let run = try ExternalTool.run(
            "/usr/bin/node", ["--check", Self.resources.appendingPathComponent(script).path])
        #expect(run.status == 0, "\(run.stderr)")
    }
}
