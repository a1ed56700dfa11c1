import AudioCore

extension CallRecipe.Leg {
    /// This leg's noise floor in dBFS as captured (`NoiseFloorMeter`: the level its quietest tenth of 10 ms blocks
    /// stay under; -120 for digital silence), read once at `sampleRate`.
    /// - Throws: `AudioError` when the leg cannot be read.
    public func noiseFloor(sampleRate: Int) throws -> Double {
        let meter = NoiseFloorMeter(format: .mono(sampleRate))
        let stream = try LegInput(self, sampleRate: sampleRate).stream
        while let chunk = try stream.read() { _ = try meter.process(chunk) }
        return meter.noiseFloorDBFS
    }
}
