/// Cuts a mono stream, however it arrives, into fixed-length frames for block-based libraries (webrtc
/// processes exactly 10 ms at a time), holding the remainder back until the next chunk or the end.
///
/// Because frames are always cut at the same sample positions, a stage built on it gives the same output
/// whatever the chunking of its input.
struct FrameSplitter {
    let frameLength: Int
    private var pending: [Float] = []

    init(frameLength: Int) {
        precondition(frameLength > 0, "a frame holds at least one sample")
        self.frameLength = frameLength
    }

    /// Appends `samples` and passes every complete frame to `body`, which may change it in place; returns
    /// the frames as `body` left them, concatenated.
    mutating func split(_ samples: [Float], _ body: (inout [Float]) throws -> Void) rethrows -> [Float] {
        pending.append(contentsOf: samples)
        let whole = pending.count / frameLength * frameLength
        guard whole > 0 else { return [] }
        var output: [Float] = []
        output.reserveCapacity(whole)
        var frame = [Float](repeating: 0, count: frameLength)
        for start in stride(from: 0, to: whole, by: frameLength) {
            frame.withUnsafeMutableBufferPointer { target in
                pending.withUnsafeBufferPointer { source in
                    for i in 0..<frameLength { target[i] = source[start + i] }
                }
            }
            try body(&frame)
            output.append(contentsOf: frame)
        }
        pending.removeFirst(whole)
        return output
    }

    /// Pads the held-back remainder with silence to one last frame, passes it to `body`, and returns only as
    /// many samples as were held back, so the stream keeps its length.
    mutating func flush(_ body: (inout [Float]) throws -> Void) rethrows -> [Float] {
        let remaining = pending.count
        guard remaining > 0 else { return [] }
        let padded = try split([Float](repeating: 0, count: frameLength - remaining), body)
        return Array(padded.prefix(remaining))
    }
}
