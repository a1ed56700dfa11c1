import CallAudioJobs
import Foundation
import Jobs

/// Runs the jobs of recordings kept in a bucket on a worker that shares no disk with anyone: the job's inputs
/// are fetched into a private folder of its own (`workFolder/job-ID`), the job runs there (by `runner`, in a
/// process of its own), its outputs are stored in the bucket (the report last, after the queue confirms the
/// worker still holds the job), and the folder is removed whatever happens. Jobs whose recipes name no file of
/// the storage (a webhook) run as they are.
public struct StoredJobRunner: JobRunner {
    let runner: any JobRunner
    let storage: any RecordingStorage
    /// This worker process's own folder; its leftovers (a worker killed mid-job) are removed at start.
    let workFolder: URL

    public init(runner: any JobRunner, storage: any RecordingStorage, workFolder: URL) throws {
        self.runner = runner
        self.storage = storage
        self.workFolder = workFolder
        try FileManager.default.createDirectory(
            at: workFolder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        for leftover in (try? FileManager.default.contentsOfDirectory(atPath: workFolder.path)) ?? []
        where leftover.hasPrefix("job-") {
            try? FileManager.default.removeItem(at: workFolder.appendingPathComponent(leftover))
        }
    }

    public func run(_ job: Job, progress: JobProgressReporter) throws -> JobResult {
        let root = storage.location
        guard job.recipe.mentions(prefix: root + "/") else { return try runner.run(job, progress: progress) }
        let folder = attemptFolder(of: job)
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var local = job
        local.recipe = job.recipe.replacingPrefix(root, with: folder.path)
        let files = StoredFiles(folder: folder)
        let payload = try local.payload
        let fetched = try waitingForTask {
            var fetched: [String] = []
            for path in AudioJobRunner.inputPaths(of: payload) {
                guard let (id, name) = files.file(at: path) else { continue }
                try FileManager.default.createDirectory(
                    atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                if try await storage.object(name, of: id) != nil {
                    try await storage.fetch(name, of: id, to: URL(fileURLWithPath: path))
                    fetched.append(path)
                }
            }
            return fetched
        }.get()
        for path in AudioJobRunner.outputPaths(of: payload) {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        }
        let result: JobResult
        do {
            result = try runner.run(local, progress: progress)
        } catch {
            // A job that gave its inputs up for good removed them (a refused prompt's upload): so does the storage.
            let consumed = fetched.filter { !FileManager.default.fileExists(atPath: $0) }.compactMap(files.file(at:))
            if !consumed.isEmpty {
                try? waitingForTask { for (id, name) in consumed { try await storage.remove(name, of: id) } }.get()
            }
            throw error
        }
        try progress.cancellation.confirmPublishing()
        try waitingForTask { try await publish(AudioJobRunner.outputPaths(of: payload), files: files) }.get()
        return try result.replacingPrefix(folder.path, with: root)
    }

    /// Stores the outputs that exist, in order (the report last); a failure removes those already stored, so
    /// that a retry starts from nothing.
    private func publish(_ outputs: [String], files: StoredFiles) async throws {
        var stored: [(id: String, name: String)] = []
        do {
            for path in outputs where FileManager.default.fileExists(atPath: path) {
                guard let (id, name) = files.file(at: path) else { continue }
                if path.hasSuffix(".json") { try files.unlocalizePaths(in: path, root: storage.location) }
                try await storage.store(URL(fileURLWithPath: path), as: name, of: id)
                stored.append((id, name))
            }
        } catch {
            for (id, name) in stored { try? await storage.remove(name, of: id) }
            throw error
        }
    }

    public func removeLeftovers(of job: Job) {
        try? FileManager.default.removeItem(at: attemptFolder(of: job))
        runner.removeLeftovers(of: job)
    }

    private func attemptFolder(of job: Job) -> URL { workFolder.appendingPathComponent("job-\(job.id)") }
}

/// The stored file a path of an attempt's folder stands for: `FOLDER/recordings/ID/NAME`.
private struct StoredFiles {
    let folder: URL

    func file(at path: String) -> (id: String, name: String)? {
        let prefix = folder.path + "/recordings/"
        guard path.hasPrefix(prefix) else { return nil }
        let parts = path.dropFirst(prefix.count).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, RecordingID.isValid(String(parts[0])), StoredName.isPlain(String(parts[1])) else {
            return nil
        }
        return (String(parts[0]), String(parts[1]))
    }

    /// Rewrites a JSON report's paths of this folder as the storage names them (`s3://...`), so that no worker's
    /// private folder is written into a stored file.
    func unlocalizePaths(in path: String, root: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let escaped = { (text: String) in text.replacingOccurrences(of: "/", with: "\\/") }
        let rewritten = text.replacingOccurrences(of: folder.path, with: root)
            .replacingOccurrences(of: escaped(folder.path), with: escaped(root))
        if rewritten != text { try rewritten.write(toFile: path, atomically: true, encoding: .utf8) }
    }
}

extension JSONValue {
    /// True when some string in the value begins with `prefix`.
    func mentions(prefix: String) -> Bool {
        switch self {
        case .string(let text): text.hasPrefix(prefix)
        case .array(let values): values.contains { $0.mentions(prefix: prefix) }
        case .object(let members): members.values.contains { $0.mentions(prefix: prefix) }
        case .null, .bool, .number: false
        }
    }

    /// The value with every string that begins with `old` (followed by `/` or nothing) beginning with `new`
    /// instead: a recipe's paths moved from the storage to a working folder, or a result's back.
    func replacingPrefix(_ old: String, with new: String) -> JSONValue {
        switch self {
        case .string(let text) where text == old || text.hasPrefix(old + "/"):
            .string(new + text.dropFirst(old.count))
        case .array(let values): .array(values.map { $0.replacingPrefix(old, with: new) })
        case .object(let members): .object(members.mapValues { $0.replacingPrefix(old, with: new) })
        default: self
        }
    }
}

extension JobResult {
    /// The result with the paths in its outputs, report and follow-up recipes moved from `old` to `new`.
    func replacingPrefix(_ old: String, with new: String) throws -> JobResult {
        var moved = try JSONValue(encoding: self).replacingPrefix(old, with: new).decode(JobResult.self)
        moved.followUps = followUps.map { request in
            var request = request
            request.recipe = request.recipe.replacingPrefix(old, with: new)
            return request
        }
        return moved
    }
}
