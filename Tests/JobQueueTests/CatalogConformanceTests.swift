import AudioTesting
import CallAudio
import CallRecordings
import Foundation
import Testing

@testable import CallAudioJobs
@testable import Jobs

/// One suite, both stores: what the recordings' catalog must do, against SQLite and PostgreSQL alike. States are
/// checked against `Recording`'s own mapping from job statuses, which the stores' trigger must follow.
@Suite(.postgresServer) struct CatalogConformanceTests {
    /// A call job for recording `id`, keyed by it.
    func request(for id: String, transcript: Bool = false) throws -> JobRequest {
        var recipe = CallRecipe(legs: [.init(path: "/in/\(id).wav")], outputDirectory: "/out/\(id)")
        recipe.transcription = transcript ? TranscriptionRequest() : nil
        return try JobRequest(payload: .call(recipe), idempotencyKey: "recording:\(id)")
    }

    func recording(
        _ id: String, startedAt: Double? = nil, createdAt: Double = 1_800_000_000,
        _ details: CallDetails = CallDetails()
    ) -> Recording {
        var details = details
        details.startedAt = startedAt.map(Date.init(timeIntervalSince1970:))
        return Recording(id: id, kind: .call, details: details, createdAt: Date(timeIntervalSince1970: createdAt))
    }

    @Test(arguments: StoreKind.allCases) func aRecordingIsWrittenWithItsJobOnce(store: StoreKind) async throws {
        try await store.withCatalog { catalog in
            let details = CallDetails(
                direction: .inbound, from: "+1 (555) 123-4567", to: "4711", callStatus: .answered,
                handledBy: "u-7", handledByName: "Zoë Müller", contactID: "c-1", conversationID: "v-1")
            let first = try await catalog.enqueue(
                try request(for: "a"), recording: recording("a", startedAt: 5, details))
            #expect(first.isNew)
            let stored = try #require(try await catalog.recording("a"))
            #expect(stored.jobID == first.job.id)
            #expect(
                stored.details
                    == CallDetails(
                        direction: .inbound, from: "+1 (555) 123-4567", to: "4711",
                        startedAt: Date(timeIntervalSince1970: 5),
                        callStatus: .answered, handledBy: "u-7", handledByName: "Zoë Müller", contactID: "c-1",
                        conversationID: "v-1"))
            #expect(stored.status == .queued)
            // The same key again: the first job stands, and no second recording is written.
            let again = try await catalog.enqueue(try request(for: "a"), recording: recording("b"))
            #expect(!again.isNew)
            #expect(try await catalog.recording("b") == nil)
            #expect(try await catalog.importRecordings([recording("a"), recording("c")]) == 1, "only c is new")
            #expect(try await catalog.recording("c") != nil)
        }
    }

    @Test(arguments: StoreKind.allCases) func statesFollowTheJobsInTheSameTransaction(store: StoreKind) async throws {
        try await store.withCatalog { catalog in
            let queue = catalog.queue
            var emailed = recording("v")
            emailed.email = .pending
            let call = try await catalog.enqueue(try request(for: "v", transcript: true), recording: emailed).job
            func stored() async throws -> Recording { try #require(try await catalog.recording("v")) }
            let claimed = try #require(try await queue.claim(worker: "w", leaseDuration: testLease))
            #expect(claimed.id == call.id)
            #expect(try await stored().status == Recording.Status(job: .running))
            #expect(try await stored().email == Recording.EmailStatus(job: .running))
            // The worker queues the transcript before it records the success.
            let transcribe = try await queue.enqueue(
                try JobRequest(
                    payload: .transcribe(
                        TranscribeRecipe(call: CallRecipe(legs: [], outputDirectory: "/out/v"), parentJob: call.id)),
                    idempotencyKey: "transcribe:job-\(call.id)")
            ).job
            _ = try await queue.succeed(call.id, worker: "w", result: JobResult(outputs: []))
            #expect(try await stored().status == .ready)
            #expect(try await stored().email == .sent)
            #expect(try await stored().transcriptJobID == transcribe.id)
            #expect(try await stored().transcript == Recording.TranscriptStatus(job: .queued))
            _ = try #require(try await queue.claim(worker: "w", leaseDuration: testLease))
            #expect(try await stored().transcript == .processing)
            _ = try await queue.fail(
                transcribe.id, worker: "w", failure: JobFailure(code: "x", message: "refused", isPermanent: true))
            #expect(try await stored().transcript == .failed, "a dead transcript job is not left requested")
            _ = try await queue.retry(transcribe.id)
            #expect(try await stored().transcript == .requested)
        }
    }

    @Test(arguments: StoreKind.allCases) func everyFilterAndTheOrder(store: StoreKind) async throws {
        try await store.withCatalog { catalog in
            let samples: [(String, Double?, CallDetails)] = [
                (
                    "r1", 100,
                    CallDetails(
                        direction: .inbound, from: "+1 555 0100", to: "200", callStatus: .answered, handledBy: "u1",
                        contactID: "c1", conversationID: "v1")
                ),
                (
                    "r2", 300,
                    CallDetails(
                        direction: .outbound, from: "200", to: "+1-555-0199", callStatus: .noAnswer, handledBy: "u2",
                        contactID: "c2", conversationID: "v1")
                ),
                (
                    "r3", nil,
                    CallDetails(direction: .inbound, from: "(555) 0100", callStatus: .voicemail, contactID: "c1")
                ),
                ("r4", 300, CallDetails(direction: .inbound, callStatus: .busy, handledBy: "u1", contactID: "c3")),
            ]
            for (id, started, details) in samples {
                _ = try await catalog.enqueue(
                    try request(for: id), recording: recording(id, startedAt: started, createdAt: 200, details))
            }
            func ids(_ parameters: [String: String]) async throws -> [String] {
                let list = try RecordingListRequest(parameters: parameters)
                return try await catalog.recordings(matching: list.filter, limit: 50, after: nil).recordings.map(\.id)
            }
            // Newest call first: r2 and r4 began at 300 (ties by id, descending), r3 has no start and sorts by
            // its ingest time, 200.
            #expect(try await ids([:]) == ["r4", "r2", "r3", "r1"])
            #expect(try await ids(["contact_id": "c1"]) == ["r3", "r1"])
            #expect(try await ids(["conversation_id": "v1"]) == ["r2", "r1"])
            #expect(try await ids(["direction": "outbound"]) == ["r2"])
            #expect(try await ids(["call_status": "no-answer"]) == ["r2"])
            #expect(try await ids(["handled_by": "u1"]) == ["r4", "r1"])
            #expect(try await ids(["kind": "voicemail"]) == [])
            #expect(try await ids(["status": "queued"]) == ["r4", "r2", "r3", "r1"])
            #expect(try await ids(["number": "5550100"]) == ["r3"], "digits compare, however the number is written")
            #expect(try await ids(["number": "+1 555 0100"]) == ["r1"])
            #expect(try await ids(["number": "200"]) == ["r2", "r1"], "from or to")
            #expect(try await ids(["started_after": "1970-01-01T00:02:00Z"]) == ["r4", "r2"])
            #expect(try await ids(["started_before": "1970-01-01T00:02:00Z"]) == ["r1"])
            #expect(try await ids(["has_transcript": "false", "contact_id": "c3"]) == ["r4"])
            #expect(try await ids(["has_transcript": "true"]) == [])
        }
    }

    @Test(arguments: StoreKind.allCases) func pagesNeitherRepeatNorSkipWhileRecordingsArrive(store: StoreKind)
        async throws
    {
        try await store.withCatalog { catalog in
            for index in 0..<10 {
                _ = try await catalog.enqueue(
                    try request(for: "old\(index)"), recording: recording("old\(index)", startedAt: Double(index % 4)))
            }
            var seen: [String] = []
            var cursor: RecordingCursor?
            var added = 0
            repeat {
                let page = try await catalog.recordings(matching: RecordingFilter(), limit: 3, after: cursor)
                seen += page.recordings.map(\.id)
                cursor = page.nextCursor.flatMap { RecordingCursor(token: $0.token) }
                // A newer call and an older one arrive between pages.
                _ = try await catalog.enqueue(
                    try request(for: "new\(added)"), recording: recording("new\(added)", startedAt: 100))
                _ = try await catalog.enqueue(
                    try request(for: "late\(added)"), recording: recording("late\(added)", startedAt: -1))
                added += 1
            } while cursor != nil
            let old = seen.filter { $0.hasPrefix("old") }
            #expect(old.count == 10)
            #expect(Set(old).count == 10, "no recording repeated: \(seen)")
            #expect(seen.filter { $0.hasPrefix("new") }.isEmpty, "newer arrivals belong before the first page")
        }
    }

    @Test(arguments: StoreKind.allCases) func aDeletedRecordingKeepsItsIDAndTimeOnly(store: StoreKind) async throws {
        try await store.withCatalog { catalog in
            let details = CallDetails(from: "555", contactID: "c1", conversationID: "v1")
            _ = try await catalog.enqueue(try request(for: "d"), recording: recording("d", startedAt: 1, details))
            try await catalog.markDeleted("d", at: Date(timeIntervalSince1970: 42))
            let deleted = try #require(try await catalog.recording("d"))
            #expect(deleted.status == .deleted)
            #expect(deleted.deletedAt == Date(timeIntervalSince1970: 42))
            #expect(deleted.details == CallDetails())
            #expect(deleted.callID == nil && deleted.jobID == nil)
            #expect(try await catalog.recordings(matching: RecordingFilter(), limit: 10, after: nil).recordings.isEmpty)
            // The job's later changes leave the deleted row alone.
            _ = try #require(try await catalog.queue.claim(worker: "w", leaseDuration: testLease))
            #expect(try await catalog.recording("d")?.status == .deleted)
        }
    }

    @Test(arguments: StoreKind.allCases) func searchFindsEveryWordAndPhraseInOrder(store: StoreKind) async throws {
        try await store.withCatalog { catalog in
            for (id, started, contact) in [("s1", 100.0, "c1"), ("s2", 200.0, "c2")] {
                _ = try await catalog.enqueue(
                    try request(for: id), recording: recording(id, startedAt: started, CallDetails(contactID: contact)))
            }
            try await catalog.index(
                [
                    IndexedSegment(start: 1, end: 2, speaker: "Caller", text: "I am calling about my order."),
                    IndexedSegment(start: 4.5, end: 7, speaker: "Agent", text: "What is the ORDER number?"),
                    IndexedSegment(start: 9, end: 10, speaker: "Agent", text: "The number of your order, please."),
                ], of: "s1")
            try await catalog.index(
                [IndexedSegment(start: 3, end: 4, speaker: "Agent", text: "Your order number is 4711. Déjà vu.")],
                of: "s2")
            func hits(_ q: String, _ parameters: [String: String] = [:], limit: Int = 50, after: SearchCursor? = nil)
                async throws -> SearchPage
            {
                let list = try RecordingListRequest(parameters: parameters)
                return try await catalog.search(
                    try TranscriptQuery(q), matching: list.filter, limit: limit, after: after)
            }
            func places(_ page: SearchPage) -> [String] { page.hits.map { "\($0.recordingID)@\($0.segment.start)" } }
            // Every word, any case; newest call first, then in the order said.
            #expect(places(try await hits("order NUMBER")) == ["s2@3.0", "s1@4.5", "s1@9.0"])
            // A quoted phrase as a phrase.
            #expect(places(try await hits("\"order number\"")) == ["s2@3.0", "s1@4.5"])
            #expect(places(try await hits("\"number order\"")) == [])
            #expect(places(try await hits("deja")) == ["s2@3.0"], "diacritics folded")
            #expect(places(try await hits("4711 order")) == ["s2@3.0"])
            #expect(places(try await hits("order", ["contact_id": "c1"])) == ["s1@1.0", "s1@4.5", "s1@9.0"])
            #expect(try await hits("order").hits.first?.segment.text == "Your order number is 4711. Déjà vu.")
            // Pages by cursor, through its token.
            let first = try await hits("order", limit: 2)
            #expect(places(first) == ["s2@3.0", "s1@1.0"])
            let cursor = try #require(first.nextCursor.flatMap { SearchCursor(token: $0.token) })
            let second = try await hits("order", limit: 2, after: cursor)
            #expect(places(second) == ["s1@4.5", "s1@9.0"])
            #expect(second.nextCursor == nil)
            // Indexed again, a transcript replaces its segments; deleted, its recording leaves the index.
            try await catalog.index([IndexedSegment(start: 0, end: 1, speaker: nil, text: "nothing here")], of: "s1")
            #expect(places(try await hits("order")) == ["s2@3.0"])
            try await catalog.markDeleted("s2", at: Date())
            #expect(places(try await hits("order")) == [])
        }
    }

    /// Every page of the list `filter` narrows, `limit` at a time, through the cursors' tokens.
    func allPages(_ catalog: any RecordingCatalog, _ filter: RecordingFilter, limit: Int) async throws -> [String] {
        var seen: [String] = []
        var cursor: RecordingCursor?
        repeat {
            let page = try await catalog.recordings(matching: filter, limit: limit, after: cursor)
            seen += page.recordings.map(\.id)
            cursor = page.nextCursor.flatMap { RecordingCursor(token: $0.token) }
        } while cursor != nil && seen.count < 100
        return seen
    }

    @Test(arguments: StoreKind.allCases) func aNumberIsTheCallsFromOrItsToOnEveryPage(store: StoreKind) async throws {
        try await store.withCatalog { catalog in
            // From the number, to it, both (listed once), neither; ties on the start broken by id.
            let samples: [(String, Double?, String?, String?)] = [
                ("n1", 10, "555 0100", "200"), ("n2", 20, "300", "555-0100"), ("n3", 20, "5550100", "5550100"),
                ("n4", 30, "300", "200"), ("n5", nil, "555 0100", nil), ("n6", 20, "(555) 0100", "400"),
                ("n7", 40, "400", "555 0100"),
            ]
            for (id, started, from, to) in samples {
                _ = try await catalog.enqueue(
                    try request(for: id),
                    recording: recording(id, startedAt: started, createdAt: 15, CallDetails(from: from, to: to)))
            }
            var filter = RecordingFilter()
            filter.numberDigits = "5550100"
            let expected = ["n7", "n6", "n3", "n2", "n5", "n1"]
            for limit in [1, 2, 4, 50] {
                #expect(try await allPages(catalog, filter, limit: limit) == expected, "pages of \(limit)")
            }
            filter.contactID = "nobody"
            #expect(try await allPages(catalog, filter, limit: 2) == [], "the other filters still hold")
        }
    }

    @Test(arguments: StoreKind.allCases) func aTimeRangeLeavesOutRecordingsWithoutAStart(store: StoreKind)
        async throws
    {
        try await store.withCatalog { catalog in
            // Without a start, a recording sorts by its ingest time, here inside every range asked: it must still
            // be left out by either bound.
            let samples: [(String, Double?, Double)] = [
                ("t1", 100, 500), ("t2", 200, 500), ("t3", nil, 150), ("t4", 200, 90), ("t5", 300, 500),
                ("t6", nil, 250), ("t7", 99, 150),
            ]
            for (id, started, created) in samples {
                _ = try await catalog.enqueue(
                    try request(for: id), recording: recording(id, startedAt: started, createdAt: created))
            }
            func ids(after: Double?, before: Double?, limit: Int) async throws -> [String] {
                var filter = RecordingFilter()
                filter.startedAfter = after.map(Date.init(timeIntervalSince1970:))
                filter.startedBefore = before.map(Date.init(timeIntervalSince1970:))
                return try await allPages(catalog, filter, limit: limit)
            }
            for limit in [1, 2, 50] {
                #expect(try await ids(after: 100, before: 300, limit: limit) == ["t4", "t2", "t1"], "\(limit)")
                #expect(try await ids(after: 100, before: nil, limit: limit) == ["t5", "t4", "t2", "t1"])
                #expect(try await ids(after: nil, before: 200, limit: limit) == ["t1", "t7"])
                #expect(try await ids(after: 150, before: 260, limit: limit) == ["t4", "t2"])
            }
            #expect(try await allPages(catalog, RecordingFilter(), limit: 3).count == 7)
        }
    }

    @Test(arguments: StoreKind.allCases) func everySearchPlanFindsTheSamePages(store: StoreKind) async throws {
        try await store.withCatalog { catalog in
            let planned = try #require(catalog as? any PlannedSearch)
            // Recordings with and without a start, two of them at the same time; "common" is said in most
            // segments, "rare" in two, "order number" as a phrase in some.
            let samples: [(String, Double?, Double, String, String?)] = [
                ("a", 100, 50, "c1", "5550100"), ("b", 300, 50, "c2", nil), ("c", nil, 200, "c1", "5550100"),
                ("d", 300, 50, "c2", "5550100"), ("e", 50, 50, "c1", nil), ("f", nil, 400, "c3", nil),
            ]
            var texts: [String: [String]] = [:]
            for (index, (id, started, created, contact, from)) in samples.enumerated() {
                _ = try await catalog.enqueue(
                    try request(for: id),
                    recording: recording(
                        id, startedAt: started, createdAt: created, CallDetails(from: from, contactID: contact)))
                texts[id] = (0..<5).map { segment in
                    var words = ["common", "word\(segment)"]
                    if (index + segment) % 4 == 0 { words.removeFirst() }
                    if index == 1 && segment == 3 || index == 4 && segment == 0 { words.append("rare") }
                    if segment % 2 == 1 { words += ["your", "order", "number"] }
                    if segment == 2 { words += ["number", "order"] }
                    return words.joined(separator: " ")
                }
                // Segments indexed out of the order they were said in.
                try await catalog.index(
                    (0..<5).reversed().map {
                        IndexedSegment(
                            start: Double($0) * 2, end: Double($0) * 2 + 1, speaker: nil, text: texts[id]![$0])
                    }, of: id)
            }
            // What a search must find: newest call first (ties by id, descending), then in the order said.
            let newestFirst = samples.sorted { ($0.1 ?? $0.2, $0.0) > ($1.1 ?? $1.2, $1.0) }
            func expected(_ holds: (String) -> Bool, _ keep: (String) -> Bool = { _ in true }) -> [String] {
                newestFirst.filter { keep($0.0) }.flatMap { sample in
                    (0..<5).filter { holds(texts[sample.0]![$0]) }.map { "\(sample.0)@\(Double($0) * 2)" }
                }
            }
            let contacts = Dictionary(uniqueKeysWithValues: samples.map { ($0.0, $0.3) })
            let cases: [(String, [String: String], [String])] = [
                ("common", [:], expected { $0.contains("common") }),
                ("rare", [:], expected { $0.contains("rare") }),
                ("\"order number\"", [:], expected { $0.contains("order number") }),
                (
                    "common order", ["contact_id": "c1"],
                    expected({ $0.contains("common") && $0.contains("order") }) { contacts[$0] == "c1" }
                ),
                (
                    "common", ["number": "5550100"],
                    expected({ $0.contains("common") }) { ["a", "c", "d"].contains($0) }
                ),
                (
                    "common", ["started_after": "1970-01-01T00:01:00Z"],
                    expected({ $0.contains("common") }) { ["a", "b", "d"].contains($0) }
                ),
                ("missing", [:], []),
            ]
            #expect(cases[0].1.isEmpty && cases[0].2.count > 20)
            for (q, parameters, wanted) in cases {
                let filter = try RecordingListRequest(parameters: parameters).filter
                for plan in [nil] + SearchPlan.allCases {
                    for limit in [1, 3, 50] {
                        var found: [String] = []
                        var cursor: SearchCursor?
                        repeat {
                            let page = try await planned.search(
                                try TranscriptQuery(q), matching: filter, limit: limit, after: cursor, plan: plan)
                            found += page.hits.map { "\($0.recordingID)@\($0.segment.start)" }
                            cursor = page.nextCursor.flatMap { SearchCursor(token: $0.token) }
                        } while cursor != nil && found.count < 100
                        #expect(
                            found == wanted,
                            "\(q) \(parameters), \(plan.map(\.rawValue) ?? "chosen"), pages of \(limit)")
                    }
                }
            }
        }
    }

    @Test func theCheapestPlanFollowsHowManySegmentsMatch() {
        // Words of the benchmark's 1,000,000 segments: a rare one, one in a few segments of a thousand, of a
        // hundred, and one in half of them.
        func plan(_ matches: Double, _ costs: SearchPlan.Costs) -> SearchPlan {
            SearchPlan(matches: matches, share: matches / 1_000_000, limit: 51, costs: costs)
        }
        #expect(plan(754, .sqlite) == .matchesFirst)
        #expect(plan(6_850, .sqlite) == .newestFirst)
        #expect(plan(62_224, .sqlite) == .newestFirst)
        #expect(plan(534_158, .sqlite) == .newestFirstLookingUp)
        #expect(plan(0, .sqlite) == .matchesFirst)
        #expect(plan(754, .postgres) == .matchesFirst)
        #expect(plan(6_850, .postgres) == .newestFirst)
        #expect(plan(534_158, .postgres) == .newestFirst)
    }

    @Test(arguments: StoreKind.allCases) func aReadyTranscriptAwaitsIndexingOnce(store: StoreKind) async throws {
        try await store.withCatalog { catalog in
            var transcribed = recording("t")
            transcribed.transcript = .requested
            let call = try await catalog.enqueue(try request(for: "t", transcript: true), recording: transcribed).job
            let queue = catalog.queue
            _ = try #require(try await queue.claim(worker: "w", leaseDuration: testLease))
            let transcribe = try await queue.enqueue(
                try JobRequest(
                    payload: .transcribe(
                        TranscribeRecipe(call: CallRecipe(legs: [], outputDirectory: "/t"), parentJob: call.id)))
            ).job
            _ = try await queue.succeed(call.id, worker: "w", result: JobResult(outputs: []))
            #expect(try await catalog.recordingsAwaitingIndex(limit: 10) == [])
            _ = try #require(try await queue.claim(worker: "w", leaseDuration: testLease))
            _ = try await queue.succeed(transcribe.id, worker: "w", result: JobResult(outputs: []))
            #expect(try await catalog.recordingsAwaitingIndex(limit: 10) == ["t"])
            try await catalog.index([], of: "t")
            #expect(try await catalog.recordingsAwaitingIndex(limit: 10) == [])
            // A transcript made again (another transcribe job for the same recording) is indexed again.
            let again = try await queue.enqueue(
                try JobRequest(
                    payload: .transcribe(
                        TranscribeRecipe(call: CallRecipe(legs: [], outputDirectory: "/t"), parentJob: call.id)),
                    idempotencyKey: "again")
            ).job
            #expect(try await catalog.recording("t")?.transcript == .requested)
            _ = try #require(try await queue.claim(worker: "w", leaseDuration: testLease))
            _ = try await queue.succeed(again.id, worker: "w", result: JobResult(outputs: []))
            #expect(try await catalog.recordingsAwaitingIndex(limit: 10) == ["t"])
        }
    }
}
