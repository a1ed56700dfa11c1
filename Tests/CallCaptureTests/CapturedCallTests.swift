import AudioCore
import AudioTesting
import CallAudio
import CallCapture
import Foundation
import Testing

/// Captured calls decoded into legs and compared with the audio the generator put into them: placement on the
/// call's timeline within one packet (20 ms) and correlation with the known audio.
@Suite struct CapturedCallTests {
    /// Processes `fixture`'s capture into a (stereo) WAV at `rate` with no clean-up, so the legs can be measured.
    private func process(_ fixture: CaptureFixture, rate: Int = 8_000, layout: CallRecipe.Layout = .stereo) throws
        -> (CallReport, AudioChunk)
    {
        let recipe = CallRecipe(
            legs: [.init(path: fixture.capture)], layout: layout, sampleRate: rate,
            outputDirectory: fixture.folder.appendingPathComponent("out").path, encoding: Encoding(container: .wav),
            enhancement: .off)
        let report = try CallProcessor().run(recipe)
        return (report, try Fixtures.read(URL(fileURLWithPath: report.outputs[0].path)))
    }

    /// The lag (in frames, within one packet either way) at which `channel` best matches `reference` placed at
    /// `start` seconds, and the correlation there.
    private func match(_ channel: [Float], _ reference: AudioChunk, start: Double) -> (lag: Int, correlation: Double) {
        let rate = reference.format.sampleRate
        let first = Int((start * Double(rate)).rounded())
        let packet = rate / 50
        var best = (lag: 0, correlation: -1.0)
        for lag in -packet...packet where first + lag >= 0 && first + lag < channel.count {
            let correlation = Measure.correlation(Array(channel[(first + lag)...]), reference.samples)
            if correlation > best.correlation { best = (lag, correlation) }
        }
        return best
    }

    @Test func cleanCallBecomesTwoLegsPlacedByCaptureTime() throws {
        let fixture = try CaptureFixture(CaptureFixture.twoLegSpec())
        let (report, output) = try process(fixture)
        #expect(report.legs.map(\.role) == ["caller", "callee"])
        #expect(report.legs.map(\.offset) == [0, 0.25])
        #expect(report.legs.allSatisfy { $0.completeness == .whole })
        for (index, leg) in report.legs.enumerated() {
            let placed = match(output.channel(index), try fixture.reference(index + 1), start: leg.offset)
            #expect(placed.lag == 0, "leg \(index + 1) placed exactly")
            #expect(placed.correlation > 0.99, "leg \(index + 1) is its audio")
            let capture = try #require(leg.capture)
            #expect(capture.codec == "PCMU/8000" && capture.lost == 0 && capture.duplicated == 0)
            #expect(capture.driftPPM == nil, "no measurable drift")
        }
    }

    @Test func lossReorderingDuplicatesDTMFAndComfortNoiseAreAccountedFor() throws {
        let caller: [String: Any] = [
            "lose": [10, 80, 81, 82], "duplicate": [20, 90], "swap": [[30, 31]],
            "dtmf": [["digit": "5", "at": 1.0, "ms": 200], ["digit": "#", "at": 2.0, "ms": 120]],
        ]
        let callee: [String: Any] = ["silence": [[1.5, 2.0]]]
        let fixture = try CaptureFixture(CaptureFixture.twoLegSpec(caller: caller, callee: callee))
        let (report, output) = try process(fixture)
        let first = try #require(report.legs[0].capture)
        #expect(first.lost == 4)
        #expect(first.duplicated == 2)
        #expect(first.reordered == 1)
        #expect(first.dtmf.map(\.digit) == ["5", "#"])
        #expect(abs(first.dtmf[0].time - 1.0) < 0.021 && abs(first.dtmf[1].time - 2.0) < 0.021)
        #expect(abs(first.dtmf[0].duration - 0.2) < 0.021)
        #expect(report.legs[0].completeness == .partial, "lost packets make the leg partial")
        let second = try #require(report.legs[1].capture)
        #expect(second.lost == 0 && second.silenceSuppressionGaps == 1)
        // Both legs still sit where they belong and carry their audio; the DTMF span is silent, not noise.
        for (index, leg) in report.legs.enumerated() {
            let placed = match(output.channel(index), try fixture.reference(index + 1), start: leg.offset)
            #expect(placed.lag == 0 && placed.correlation > 0.95, "leg \(index + 1): \(placed)")
        }
        let left = output.channel(0)
        #expect(Measure.rmsDBFS(left[8_100..<9_500]) < -60, "the DTMF digit never reached the decoder")
        let right = output.channel(1)
        #expect(Measure.rmsDBFS(right[(2_000 + 12_100)..<(2_000 + 15_900)]) < -60, "comfort noise is silence")
    }

    /// Wireshark's own RTP analysis of the same capture, as an independent count. tshark's "Pkts" counts
    /// duplicates and its "Lost" subtracts them (expected minus received); the report counts unique sequence
    /// numbers, so the two must differ by exactly the duplicates.
    @Test func theReportAgreesWithTsharkOnEveryStream() throws {
        let caller: [String: Any] = ["lose": [10, 80, 81, 82], "duplicate": [20, 90], "swap": [[30, 31]]]
        let fixture = try CaptureFixture(CaptureFixture.twoLegSpec(caller: caller, callee: ["lose": [5]]))
        let (report, _) = try process(fixture)
        let tshark = try ExternalTool.output("/usr/bin/tshark", ["-r", fixture.capture, "-q", "-z", "rtp,streams"])
        let row = /^\s*[\d.]+\s+[\d.]+\s+(\S+)\s+(\d+)\s+\S+\s+\d+\s+0x([0-9A-Fa-f]+)\s+\S+\s+(\d+)\s+(-?\d+) \(/
        let streams = tshark.split(separator: "\n").compactMap { try? row.firstMatch(in: String($0)) }.map {
            (
                source: Endpoint(address: String($0.1), port: Int($0.2)!), ssrc: UInt32($0.3, radix: 16)!,
                packets: Int($0.4)!, lost: Int($0.5)!
            )
        }
        #expect(streams.count == 2, "\(tshark)")
        for leg in report.legs {
            let capture = try #require(leg.capture)
            let seen = try #require(streams.first { $0.source == capture.source }, "\(capture.source) in \(tshark)")
            #expect([seen.ssrc] == capture.ssrcs)
            #expect(seen.packets == capture.packets + capture.duplicated)
            #expect(seen.lost == capture.lost - capture.duplicated)
        }
        #expect(report.legs.compactMap(\.capture?.lost) == [4, 1])
    }

    @Test func aFastClockIsMeasuredAndCorrected() throws {
        // The callee's clock runs 0.1% fast: 20 s of its audio arrive in 19.98 s of capture time.
        let fixture = try CaptureFixture(
            CaptureFixture.twoLegSpec(
                caller: ["seconds": 20.0], callee: ["seconds": 20.0, "clockPPM": 1_000.0]))
        let (report, output) = try process(fixture)
        let drift = try #require(report.legs[1].capture?.driftPPM)
        #expect(abs(drift - 1_000) < 20, "measured \(drift) ppm")
        #expect(report.legs[0].capture?.driftPPM == nil)
        let reference = try fixture.reference(2)
        #expect(abs(report.legs[1].duration * (1 + drift / 1e6) - 20) < 0.03)
        // The last two seconds still line up with the capture clock (uncorrected they would be 20 ms late).
        let tail = 17 * 8_000
        let placed = match(
            Array(output.channel(1)[(2_000 + tail)...]),
            AudioChunk(format: reference.format, samples: Array(reference.samples[tail...])),
            start: 0)
        #expect(abs(placed.lag) <= 8 && placed.correlation > 0.95, "tail \(placed)")
    }

    @Test func anSSRCChangeContinuesTheLeg() throws {
        let fixture = try CaptureFixture(CaptureFixture.twoLegSpec(caller: ["ssrcChangeAt": 1.5]))
        let (report, output) = try process(fixture)
        #expect(report.legs.count == 2)
        let capture = try #require(report.legs[0].capture)
        #expect(capture.ssrcs.count == 2 && capture.lost == 0)
        let placed = match(output.channel(0), try fixture.reference(1), start: 0)
        #expect(placed.lag == 0 && placed.correlation > 0.99, "\(placed)")
    }

    @Test func aTimestampJumpIsPlacedByTheCaptureClock() throws {
        // Half-way through, the caller's timestamps leap 123 s ahead with the same SSRC and sequence numbers.
        let fixture = try CaptureFixture(CaptureFixture.twoLegSpec(caller: ["timestampJumpAt": 1.5]))
        let (report, output) = try process(fixture)
        let capture = try #require(report.legs[0].capture)
        #expect(capture.timestampJumps == 1)
        #expect(capture.lost == 0)
        #expect(report.legs[1].capture?.timestampJumps == nil)
        #expect(abs(report.duration - 3.25) < 0.05, "no stretch of silence for the jump: \(report.duration) s")
        let placed = match(output.channel(0), try fixture.reference(1), start: 0)
        #expect(placed.lag == 0 && placed.correlation > 0.99, "\(placed)")
    }

    @Test func aMismatchedAnswerIsDecodedByThePacketsPayloadType() throws {
        // The SDP says PCMU, the packets carry PT 8 (A-law): decoding them as mu-law would be noise.
        let pcmuOnly: [[Any]] = [[0, "PCMU", 8_000], [101, "telephone-event", 8_000]]
        let fixture = try CaptureFixture(
            CaptureFixture.twoLegSpec(
                caller: ["codec": "PCMA"], callee: ["codec": "PCMA"], ["offer": pcmuOnly, "answer": pcmuOnly]))
        let (report, output) = try process(fixture)
        let capture = try #require(report.legs[0].capture)
        #expect(capture.codec == "PCMA/8000")
        #expect(capture.codecChoice.contains("not in the negotiated set"))
        let placed = match(output.channel(0), try fixture.reference(1), start: 0)
        #expect(placed.correlation > 0.99)
    }

    @Test func sipOverTCPSegmentedAndRetransmittedStillNamesTheCodecAndTheCaller() throws {
        // PCMA as dynamic payload type 96: only the SDP, carried over TCP in 200-byte segments (one of them
        // sent twice), says what the packets are.
        let dynamicALaw: [[Any]] = [[96, "PCMA", 8_000], [101, "telephone-event", 8_000]]
        let fixture = try CaptureFixture(
            CaptureFixture.twoLegSpec(
                caller: ["codec": "PCMA", "pt": 96], callee: ["codec": "PCMA", "pt": 96],
                ["sipTransport": "tcp", "tcpSegment": 200, "offer": dynamicALaw, "answer": dynamicALaw]))
        let (report, output) = try process(fixture)
        #expect(report.legs.map(\.role) == ["caller", "callee"], "the INVITE's sender is the caller")
        for (index, leg) in report.legs.enumerated() {
            let capture = try #require(leg.capture)
            #expect(capture.codec == "PCMA/8000", "\(capture.codecChoice)")
            let placed = match(output.channel(index), try fixture.reference(index + 1), start: leg.offset)
            #expect(placed.correlation > 0.99, "leg \(index + 1) is its audio")
        }
    }

    @Test func g722UsesAn8kHzClockFor16kHzAudio() throws {
        let g722: [[Any]] = [[9, "G722", 8_000]]
        let fixture = try CaptureFixture(
            CaptureFixture.twoLegSpec(
                caller: ["codec": "G722"], callee: ["codec": "G722"], ["offer": g722, "answer": g722]))
        let (report, output) = try process(fixture, rate: 16_000)
        #expect(report.legs.map(\.sampleRate) == [16_000, 16_000])
        #expect(abs(report.legs[0].duration - 3) < 0.001)
        for (index, leg) in report.legs.enumerated() {
            // G.722's filter bank delays its output by 22 samples.
            let placed = match(output.channel(index), try fixture.reference(index + 1), start: leg.offset)
            #expect(abs(placed.lag) <= 24 && placed.correlation > 0.9, "leg \(index + 1): \(placed)")
        }
    }

    @Test func opusIsDecodedWithFECForOneLostPacketAndConcealmentForMore() throws {
        let opus: [[Any]] = [[111, "opus", 48_000]]
        let fixture = try CaptureFixture(
            CaptureFixture.twoLegSpec(
                caller: ["codec": "OPUS", "lose": [10, 40, 41, 42]], callee: ["codec": "OPUS"],
                ["offer": opus, "answer": opus]))
        let (report, output) = try process(fixture)
        #expect(report.legs.map { $0.capture?.codec } == ["opus/48000", "opus/48000"])
        #expect(report.legs[0].capture?.lost == 4)
        #expect(abs(report.legs[0].duration - 3) < 0.001)
        for (index, leg) in report.legs.enumerated() {
            // libopus's encoder delay (6.5 ms) stays within one packet.
            let placed = match(output.channel(index), try fixture.reference(index + 1), start: leg.offset)
            #expect(abs(placed.lag) <= 80 && placed.correlation > 0.8, "leg \(index + 1): \(placed)")
        }
    }

    @Test func anUnsupportedCodecIsSkippedWithItsReasonAndTheOtherLegStillDecodes() throws {
        let offer: [[Any]] = [[0, "PCMU", 8_000], [18, "G729", 8_000]]
        let fixture = try CaptureFixture(
            CaptureFixture.twoLegSpec(callee: ["pt": 18], ["offer": offer, "answer": offer]))
        let (report, _) = try process(fixture, layout: .mono)
        #expect(report.legs.count == 1 && report.legs[0].role == "caller")
        let skipped = try #require(report.skippedStreams)
        #expect(skipped.map(\.reason) == ["codec G729/8000 is not supported (PCMU, PCMA, G722 and opus are)"])
        #expect(skipped.map(\.packets) == [150])
    }

    @Test func udpThatOnlyBeginsLikeRTPIsNeitherALegNorASkippedStream() throws {
        let tunnel: [String: Any] = [
            "source": ["10.0.0.1", 4_500], "destination": ["10.0.0.9", 4_500], "packets": 150,
        ]
        let fixture = try CaptureFixture(CaptureFixture.twoLegSpec(["strayUDP": [tunnel]]))
        let (report, output) = try process(fixture)
        #expect(report.legs.map(\.role) == ["caller", "callee"])
        #expect(report.skippedStreams == nil || report.skippedStreams?.isEmpty == true)
        for (index, leg) in report.legs.enumerated() {
            let placed = match(output.channel(index), try fixture.reference(index + 1), start: leg.offset)
            #expect(placed.correlation > 0.99, "leg \(index + 1) is its audio")
        }
    }

    @Test func srtpIsReportedAndNeverDecoded() throws {
        let fixture = try CaptureFixture(CaptureFixture.twoLegSpec(["srtp": true]))
        let error = #expect(throws: AudioError.self) { try process(fixture) }
        #expect(error?.code == .noAudio)
        #expect(error?.description.contains("encrypted (SRTP: RTP/SAVP)") == true)
        #expect(!FileManager.default.fileExists(atPath: fixture.folder.appendingPathComponent("out/call.wav").path))
    }

    @Test func aTruncatedCaptureKeepsWhatItHoldsAndSaysPartial() throws {
        let fixture = try CaptureFixture(CaptureFixture.twoLegSpec(["truncateBytes": 100]))
        let (report, output) = try process(fixture)
        #expect(report.legs.contains { $0.completeness == .partial })
        let placed = match(output.channel(0), try fixture.reference(1), start: 0)
        #expect(placed.lag == 0 && placed.correlation > 0.99)
    }
}
