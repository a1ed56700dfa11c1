import AudioCore
import CAudioProcessing

/// A stretch of one leg in which webrtc's voice detector heard speech, with a little of the quiet around it.
public struct SpeechSpan: Sendable, Equatable {
    /// Seconds from the start of the leg at which the span begins.
    public var start: Double
    /// Mono samples at the segmenter's rate.
    public var samples: [Float]

    public init(start: Double, samples: [Float]) {
        self.start = start
        self.samples = samples
    }
}

/// Cuts a mono leg into its stretches of speech with webrtc's voice detector, so that silence is never sent
/// to a speech recogniser (it costs time, and Whisper invents text in it).
///
/// Speech is judged per 10 ms frame; a span opens at the first voiced frame (with `padding` of audio before
/// it), stays open through pauses shorter than `maximumPause`, and closes after a longer pause (keeping
/// `padding` of it). Spans are never longer than `maximumLength`: a longer monologue is cut there, so memory
/// stays bounded. Spans with less than `minimumSpeech` of voiced frames (clicks, a cough) are dropped.
/// The audio itself is passed on unchanged; the detector reads a copy.
public final class SpeechSegmenter {
    public let format: AudioFormat
    private let processor: WebRTCProcessor
    private var splitter: FrameSplitter
    private let padding: Int
    private let maximumPause: Int
    private let maximumLength: Int
    private let minimumSpeech: Int
    /// The last `padding` frames before the open span (or all of them when none is open), oldest first.
    private var preRoll: [[Float]] = []
    private var span: [Float] = []
    private var spanStartFrame = 0
    private var voicedInSpan = 0
    private var quietRun = 0
    private var frameIndex = 0
    private var finished: [SpeechSpan] = []

    /// - Parameters: durations in seconds; see the type's description.
    /// - Throws: `AudioError.invalidRecipe` unless `format` is mono at a rate webrtc takes (8/16/32/48 kHz).
    public init(
        format: AudioFormat, padding: Double = 0.2, maximumPause: Double = 0.6, maximumLength: Double = 25,
        minimumSpeech: Double = 0.15
    ) throws {
        processor = try WebRTCProcessor(
            format: format,
            config: ca_apm_config(
                sample_rate: Int32(format.sampleRate), noise_suppression: CA_NS_OFF, high_pass_filter: 1,
                echo_cancellation: 0, voice_detection: 1))
        self.format = format
        splitter = FrameSplitter(frameLength: processor.frameLength)
        let frames = { (seconds: Double) in max(1, Int((seconds * 100).rounded())) }
        self.padding = frames(padding)
        self.maximumPause = frames(maximumPause)
        self.maximumLength = frames(maximumLength)
        self.minimumSpeech = frames(minimumSpeech)
    }

    /// Feeds the next chunk of the leg; returns the spans it completed.
    public func push(_ chunk: AudioChunk) throws -> [SpeechSpan] {
        _ = try splitter.split(chunk.samples, judge)
        return takeFinished()
    }

    /// Ends the leg; returns the spans that were still open.
    public func finish() throws -> [SpeechSpan] {
        _ = try splitter.flush(judge)
        closeSpan()
        return takeFinished()
    }

    private func takeFinished() -> [SpeechSpan] {
        defer { finished.removeAll() }
        return finished
    }

    private func judge(_ frame: inout [Float]) throws {
        var copy = frame
        try processor.process(&copy)
        accept(frame, voiced: processor.hasVoice)
        frameIndex += 1
    }

    private func accept(_ frame: [Float], voiced: Bool) {
        let spanOpen = !span.isEmpty
        if !spanOpen {
            guard voiced else {
                preRoll.append(frame)
                if preRoll.count > padding { preRoll.removeFirst() }
                return
            }
            spanStartFrame = frameIndex - preRoll.count
            span = preRoll.flatMap { $0 }
            preRoll.removeAll()
        }
        span += frame
        quietRun = voiced ? 0 : quietRun + 1
        if voiced { voicedInSpan += 1 }
        let spanFrames = span.count / processor.frameLength
        if quietRun >= maximumPause || spanFrames >= maximumLength { closeSpan() }
    }

    /// Emits the open span, trimmed to `padding` of its trailing quiet, unless it held too little speech.
    private func closeSpan() {
        guard !span.isEmpty else { return }
        let trailingQuiet = max(0, quietRun - padding) * processor.frameLength
        if voicedInSpan >= minimumSpeech {
            finished.append(
                SpeechSpan(
                    start: format.seconds(forFrames: spanStartFrame * processor.frameLength),
                    samples: Array(span.dropLast(trailingQuiet))))
        }
        span = []
        voicedInSpan = 0
        quietRun = 0
    }
}
