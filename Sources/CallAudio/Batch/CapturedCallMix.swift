import AudioCore

/// A packet capture read as one recording, for `encode` and re-encode jobs: its RTP streams' legs placed by
/// capture time with their clock drift taken out (as `process` places them), mixed to mono at the highest of
/// their rates, peaks limited. No clean-up: a re-encode keeps what was captured.
struct CapturedCallMix {
    let stream: any AudioSource
    private let legs: [LegInput]

    /// Indexes the capture at `path` and opens its decodable streams; throws, as `process` does, when it is
    /// unreadable or holds nothing decodable.
    init(path: String) throws(AudioError) {
        var recipe = CallRecipe(legs: [CallRecipe.Leg(path: path)], outputDirectory: "")
        _ = try recipe.expandCaptures()
        let legs = try recipe.legs.map { leg throws(AudioError) in try LegInput(leg, mixRate: 48_000) }
        let rate = legs.map(\.stream.format.sampleRate).max() ?? 8_000
        let earliest = recipe.legs.map(\.offset).min() ?? 0
        let format = AudioFormat.mono(rate)
        let mixer = Mixer(
            legs: try legs.map { leg throws(AudioError) in
                Mixer.Leg(
                    source: try leg.stream.resampled(to: rate),
                    startFrame: format.frames(forSeconds: leg.leg.offset - earliest))
            },
            channelCount: 1)
        self.stream = try mixer.through(TruePeakLimiter(format: format))
        self.legs = legs
    }

    /// True once a leg turned out to end early (a cut capture); known when the stream is drained.
    var isPartial: Bool { legs.contains { $0.decoder.isPartial } }
}
