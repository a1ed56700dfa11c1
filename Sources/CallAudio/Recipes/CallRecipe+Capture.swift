import AudioCore

extension CallRecipe.Leg {
    /// True for a leg that is a whole packet capture still to be expanded into its RTP streams' legs.
    public var isWholeCapture: Bool { capturedStream == nil && CapturedCall.isCapture(path) }
}

extension CallRecipe {
    /// Replaces each leg that is a whole packet capture with the capture's RTP streams as legs (placed by
    /// their first packets' capture times, after the capture leg's own offset), and returns the streams left
    /// out with the reason. Legs that already name a stream, and ordinary files, stay as they are.
    mutating func expandCaptures() throws(AudioError) -> [CallReport.SkippedStream]? {
        guard legs.contains(where: \.isWholeCapture) else { return nil }
        var expanded: [Leg] = []
        var skipped: [CallReport.SkippedStream] = []
        for leg in legs {
            guard leg.isWholeCapture else {
                expanded.append(leg)
                continue
            }
            let call = try CapturedCall(path: leg.path)
            expanded += call.legs.map { captured in
                var captured = captured
                captured.offset += leg.offset
                captured.role = leg.role ?? captured.role
                return captured
            }
            skipped += call.skipped
        }
        legs = expanded
        return skipped
    }
}
