import AudioTesting
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A throwaway PostgreSQL cluster for the tests: Debian's `initdb`/`pg_ctl` in a temporary folder, on a free
/// loopback port, run as the `postgres` user when the tests run as root (PostgreSQL refuses root).
final class PostgresServer: Sendable {
    @TaskLocal static var current: PostgresServer?

    let port: Int
    let directory: URL
    private let binaries: URL

    private init(port: Int, directory: URL, binaries: URL) {
        self.port = port
        self.directory = directory
        self.binaries = binaries
    }

    static func start() throws -> PostgresServer {
        let binaries = try installedBinaries()
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("callaudio-pg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let server = PostgresServer(port: try freePort(), directory: directory, binaries: binaries)
        if geteuid() == 0 {
            _ = try ExternalTool.output("/usr/bin/chown", ["-R", "postgres:postgres", directory.path])
        }
        let data = directory.appendingPathComponent("data").path
        try server.runAsServerUser(
            "initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"])
        try server.runAsServerUser(
            "pg_ctl",
            [
                "-D", data, "-l", directory.appendingPathComponent("server.log").path, "-w", "-t", "60", "start",
                "-o",
                "-p \(server.port) -k \(directory.path) -c listen_addresses=127.0.0.1 -c fsync=off "
                    + "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
            ])
        return server
    }

    /// Creates an empty database and returns its `postgres://` location.
    func createDatabase() throws -> String {
        let name = "t_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        _ = try ExternalTool.output(
            binaries.appendingPathComponent("createdb").path,
            ["-h", "127.0.0.1", "-p", "\(port)", "-U", "postgres", name])
        return "postgres://postgres@127.0.0.1:\(port)/\(name)"
    }

    func stop() {
        try? runAsServerUser(
            "pg_ctl", ["-D", directory.appendingPathComponent("data").path, "-m", "immediate", "stop"])
        try? FileManager.default.removeItem(at: directory)
    }

    private func runAsServerUser(_ tool: String, _ arguments: [String]) throws {
        let path = binaries.appendingPathComponent(tool).path
        if geteuid() == 0 {
            _ = try ExternalTool.output("/usr/sbin/runuser", ["-u", "postgres", "--", path] + arguments)
        } else {
            _ = try ExternalTool.output(path, arguments)
        }
    }

    /// The newest Debian PostgreSQL installed, or an error saying how to install one.
    private static func installedBinaries() throws -> URL {
        let root = URL(fileURLWithPath: "/usr/lib/postgresql")
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        guard
            let newest = versions.compactMap(Int.init).sorted().last(where: {
                FileManager.default.isExecutableFile(atPath: root.appendingPathComponent("\($0)/bin/initdb").path)
            })
        else {
            throw TestError(
                "no PostgreSQL under /usr/lib/postgresql: run scripts/install-test-deps.sh (apt-get install postgresql)"
            )
        }
        return root.appendingPathComponent("\(newest)/bin")
    }

    /// A loopback port nobody listens on right now.
    static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw TestError("socket() failed") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0
            }
        }
        guard bound else { throw TestError("cannot find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// A test harness failure, saying what it could not do.
struct TestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs a suite with a PostgreSQL server of its own, stopped when the suite ends.
struct PostgresServerTrait: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let server = try PostgresServer.start()
        defer { server.stop() }
        try await PostgresServer.$current.withValue(server) { try await function() }
    }
}

extension Trait where Self == PostgresServerTrait {
    static var postgresServer: Self { PostgresServerTrait() }
}
