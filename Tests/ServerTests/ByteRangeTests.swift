import CallAudioServer
import CallRecordings
import Testing

@Suite struct ByteRangeTests {
    @Test(arguments: [
        ("bytes=0-1", ByteRangeAnswer.partial(0...1)),
        ("bytes=0-0", .partial(0...0)),
        ("bytes=-500", .partial(500...999)),
        ("bytes=-5000", .partial(0...999)),
        ("bytes=990-", .partial(990...999)),
        ("bytes=500-2000", .partial(500...999)),
        ("bytes=999-999", .partial(999...999)),
        ("bytes=1000-", .unsatisfiable),
        ("bytes=5000-6000", .unsatisfiable),
        ("bytes=-0", .unsatisfiable),
        ("bytes=0-1,5-6", .whole),
        ("bytes=5-1", .whole),
        ("bytes=abc", .whole),
        ("items=0-1", .whole),
        ("bytes=+1-2", .whole),
    ])
    func answersAsRFC9110SaysForAThousandBytes(header: String, expected: ByteRangeAnswer) {
        #expect(ByteRangeAnswer(header: header, length: 1000) == expected)
    }

    @Test func noHeaderMeansTheWholeFileAndAnEmptyFileHasNoSatisfiableRange() {
        #expect(ByteRangeAnswer(header: nil, length: 1000) == .whole)
        #expect(ByteRangeAnswer(header: "bytes=0-1", length: 0) == .unsatisfiable)
        #expect(ByteRangeAnswer(header: "bytes=-1", length: 0) == .unsatisfiable)
    }
}
