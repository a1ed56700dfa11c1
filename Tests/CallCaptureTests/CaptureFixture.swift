import AudioCore
import AudioTesting
import Foundation

/// A packet capture of a call with known audio, written by tools/capture-gen/make_capture.py (scapy, pinned by
/// hash) from a spec: `call.pcap` (or `call.pcapng`) and, per leg, the audio it carries as `legN.wav`.
struct CaptureFixture {
    let folder: URL
    let capture: String

    /// Generates the capture `spec` describes (a JSON object, see the script's docstring).
    init(_ spec: [String: Any]) throws {
        folder = try Fixtures.scratchFolder("callcapture-test")
        let specURL = folder.appendingPathComponent("spec.json")
        try JSONSerialization.data(withJSONObject: spec).write(to: specURL)
        let environment = try Self.output(
            Fixtures.packageRoot.appendingPathComponent("scripts/python-env.sh").path, ["capture-gen"])
        let script = Fixtures.packageRoot.appendingPathComponent("tools/capture-gen/make_capture.py").path
        capture = try Self.output("\(environment)/bin/python", [script, specURL.path, folder.path])
    }

    /// The audio leg `number` (1-based) carries, on the capture clock from its first packet.
    func reference(_ number: Int) throws -> AudioChunk {
        try Fixtures.read(folder.appendingPathComponent("leg\(number).wav"))
    }

    static func run(_ program: String, _ arguments: [String]) throws -> ExternalTool.Run {
        try ExternalTool.run(program, arguments)
    }

    /// The last line a program printed; a failure throws with what it said on standard error.
    private static func output(_ program: String, _ arguments: [String]) throws -> String {
        try ExternalTool.output(program, arguments).split(separator: "\n").last.map(String.init) ?? ""
    }

    /// A two-leg call, caller 10.0.0.1:40000 and callee 10.0.0.2:50000 (or IPv6), with `changes` to the spec
    /// and `caller`/`callee` merged into each leg's description.
    static func twoLegSpec(
        ipv6: Bool = false, caller: [String: Any] = [:], callee: [String: Any] = [:], _ changes: [String: Any] = [:]
    ) -> [String: Any] {
        let (a, b) = ipv6 ? ("2001:db8::1", "2001:db8::2") : ("10.0.0.1", "10.0.0.2")
        var legs: [[String: Any]] = [
            ["source": [a, 40_000], "destination": [b, 50_000], "start": 0.0, "seconds": 3.0, "tone": 440.0],
            ["source": [b, 50_000], "destination": [a, 40_000], "start": 0.25, "seconds": 3.0, "tone": 660.0],
        ]
        legs[0].merge(caller) { $1 }
        legs[1].merge(callee) { $1 }
        var spec: [String: Any] = ["legs": legs]
        spec.merge(changes) { $1 }
        return spec
    }
}
