import CallAudioJobs
import CallRecordings
import Foundation
import Logging

/// Measures the recordings' catalog at scale: a store filled with RECORDINGS recordings of SEGMENTS transcript
/// segments each, then list pages under the filters a platform's report uses and search pages for words of
/// every frequency, each query's time from the caller's side; prints p50 and p95 and the database's plans. Run it
/// through `benchmarks/catalog-benchmark.sh`, which builds it in release mode and starts a throwaway PostgreSQL.
///
///     catalog-bench QUEUE... [--recordings N] [--segments N] [--queries N]
@main @MainActor
struct CatalogBenchmark {
    static func main() async throws {
        var arguments = Array(CommandLine.arguments.dropFirst())
        let recordings = take("--recordings", from: &arguments).flatMap(Int.init) ?? 100_000
        let segments = take("--segments", from: &arguments).flatMap(Int.init) ?? 10
        let queries = take("--queries", from: &arguments).flatMap(Int.init) ?? 200
        for location in arguments {
            let store = location.hasPrefix("sqlite:") ? "SQLite" : "PostgreSQL"
            let catalog = try await JobQueueLocation(location).openCatalog(logger: Logger(label: "benchmark"))
            let fill = try await Corpus.fill(catalog, recordings: recordings, segmentsEach: segments)
            print("| \(store) | fill | \(recordings) recordings, \(recordings * segments) segments | \(fill) |")
            var random = SeededRandom(seed: 7)
            for (name, make) in Workload.lists {
                let times = try await measure(queries) {
                    let filter = make(&random)
                    _ = try await catalog.recordings(matching: filter, limit: 50, after: nil)
                }
                print("| \(store) | list page, \(name) | \(queries) pages | \(times) |")
            }
            for (name, make) in Workload.searches {
                let times = try await measure(queries) {
                    let (query, filter) = try make(&random)
                    _ = try await catalog.search(query, matching: filter, limit: 50, after: nil)
                }
                print("| \(store) | search page, \(name) | \(queries) pages | \(times) |")
            }
            // The plans, for the first filter and query of each workload.
            var planned = SeededRandom(seed: 7)
            for (name, make) in Workload.lists {
                let plan = try await catalog.queryPlan(of: make(&planned), searching: nil)
                print("\n\(store) plan, list page, \(name):\n\(plan)")
            }
            for (name, make) in Workload.searches {
                let (query, filter) = try make(&planned)
                let plan = try await catalog.queryPlan(of: filter, searching: query)
                print("\n\(store) plan, search page, \(name):\n\(plan)")
            }
            print()
            try await catalog.queue.close()
        }
    }

    /// Runs `body` `count` times and gives the p50 and p95 of its wall times.
    static func measure(_ count: Int, _ body: () async throws -> Void) async throws -> String {
        var times: [Double] = []
        for _ in 0..<count {
            let start = ContinuousClock.now
            try await body()
            let elapsed = ContinuousClock.now - start
            times.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
        }
        times.sort()
        let percentile = { (p: Double) in times[min(times.count - 1, Int(Double(times.count) * p))] }
        return String(format: "p50 %.2f ms, p95 %.2f ms", percentile(0.5), percentile(0.95))
    }

    static func take(_ flag: String, from arguments: inout [String]) -> String? {
        guard let index = arguments.firstIndex(of: flag), index + 1 < arguments.count else { return nil }
        defer { arguments.removeSubrange(index...(index + 1)) }
        return arguments[index + 1]
    }
}

/// The filters and searches measured, each made afresh per query from the seeded generator.
enum Workload {
    static let lists: [(String, @Sendable (inout SeededRandom) -> RecordingFilter)] = [
        ("no filter", { _ in RecordingFilter() }),
        ("by contact", { random in
            var filter = RecordingFilter()
            filter.contactID = "c-\(random.next(Corpus.contacts))"
            return filter
        }),
        ("by handler and status", { random in
            var filter = RecordingFilter()
            filter.handledBy = "u-\(random.next(Corpus.users))"
            filter.status = .ready
            return filter
        }),
        ("by number", { random in
            var filter = RecordingFilter()
            filter.numberDigits = Corpus.number(random.next(Corpus.contacts))
            return filter
        }),
        ("inbound, answered, one week", { random in
            var filter = RecordingFilter()
            filter.direction = .inbound
            filter.callStatus = .answered
            let start = Corpus.start.addingTimeInterval(Double(random.next(50)) * 7 * 86_400)
            filter.startedAfter = start
            filter.startedBefore = start.addingTimeInterval(7 * 86_400)
            return filter
        }),
    ]

    static let searches: [(String, @Sendable (inout SeededRandom) throws -> (TranscriptQuery, RecordingFilter))] = [
        ("a rare word", { random in
            (try TranscriptQuery(Corpus.vocabulary[1_000 + random.next(900)]), RecordingFilter())
        }),
        ("a common word", { random in (try TranscriptQuery(Corpus.vocabulary[random.next(20)]), RecordingFilter()) }),
        ("two words", { random in
            (
                try TranscriptQuery("\(Corpus.vocabulary[100 + random.next(100)]) \(Corpus.vocabulary[random.next(50)])"),
                RecordingFilter()
            )
        }),
        ("a phrase, by contact", { random in
            var filter = RecordingFilter()
            filter.contactID = "c-\(random.next(Corpus.contacts))"
            return (try TranscriptQuery("\"order number\""), filter)
        }),
    ]
}

/// The generated recordings: contacts, users, numbers and a year of start times; transcripts from a vocabulary
/// whose words follow a Zipf-like spread, with "order number" in one segment of ten.
enum Corpus {
    static let contacts = 10_000
    static let users = 200
    static let start = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01
    static let vocabulary = (0..<2_000).map { "w\($0)x" }

    static func number(_ index: Int) -> String { "1555\(String(format: "%07d", index))" }

    /// Fills `catalog` unless it holds recordings already; returns how long it took.
    static func fill(_ catalog: any RecordingCatalog, recordings: Int, segmentsEach: Int) async throws -> String {
        guard try await catalog.recordings(matching: RecordingFilter(), limit: 1, after: nil).recordings.isEmpty else {
            return "(filled before)"
        }
        let began = Date()
        var random = SeededRandom(seed: 1)
        let batch = 1_000
        for first in stride(from: 0, to: recordings, by: batch) {
            let made = (first..<min(recordings, first + batch)).map { index -> Recording in
                let contact = random.next(contacts)
                let details = CallDetails(
                    direction: random.next(2) == 0 ? .inbound : .outbound, from: number(contact), to: "4711",
                    startedAt: start.addingTimeInterval(Double(random.next(365 * 86_400))),
                    callStatus: [.answered, .answered, .answered, .noAnswer, .busy, .voicemail][random.next(6)],
                    handledBy: "u-\(random.next(users))", contactID: "c-\(contact)", conversationID: "v-\(index / 3)")
                return Recording(
                    id: String(format: "%024x", index), kind: .call, details: details, status: .ready,
                    transcript: .ready, createdAt: start)
            }
            _ = try await catalog.importRecordings(made)
            for recording in made {
                let segments = (0..<segmentsEach).map { number -> IndexedSegment in
                    var words = (0..<8).map { _ in vocabulary[min(vocabulary.count - 1, random.zipf(vocabulary.count))] }
                    if random.next(10) == 0 { words.insert(contentsOf: ["order", "number"], at: 3) }
                    return IndexedSegment(
                        start: Double(number) * 4, end: Double(number) * 4 + 3.5,
                        speaker: number % 2 == 0 ? "Caller" : "Agent", text: words.joined(separator: " "))
                }
                try await catalog.index(segments, of: recording.id)
            }
        }
        return String(format: "%.0f s", Date().timeIntervalSince(began))
    }
}

/// A small deterministic generator (SplitMix64), so that both stores hold the same data and see the same queries.
struct SeededRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func nextBits() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// 0 ..< upper.
    mutating func next(_ upper: Int) -> Int { Int(nextBits() % UInt64(upper)) }

    /// 0 ..< upper, small values far likelier (about 1 / (rank + 1)).
    mutating func zipf(_ upper: Int) -> Int {
        let uniform = Double(nextBits() >> 11) / Double(1 << 53)
        return Int(pow(Double(upper), uniform)) - 1
    }
}
