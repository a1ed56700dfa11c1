import AudioCore

/// The faster and slower copies of a call, written in the same pass as the call itself: each is a tee branch
/// of the final mix through its own `TempoChanger` into its own encoder, on a thread of its own
/// (`BackgroundSink`), so the copies are made on other cores while the mix goes on.
struct SpeedCopies {
    /// One copy: its encoder (for its duration) and its path.
    struct Copy {
        let path: String
        let encoder: any EncodedOutput
        let sink: any AudioSink
    }

    let copies: [Copy]

    /// Opens an encoder for each of `speeds`, named `<base><suffix>.<ext>` (`call-1.5x.mp3`).
    init(speeds: [Double], folder: String, baseName: String, format: AudioFormat, encoding: Encoding, tags: Tags) throws
    {
        copies = try speeds.map { speed in
            let path = "\(folder)/\(baseName)\(Enhancement.suffix(forSpeed: speed)).\(encoding.container.fileExtension)"
            let encoder = try encoding.makeSink(path: path, format: format, tags: tags)
            let slowed = Self.slowed(encoder, try TempoChanger(format: format, speed: speed))
            return Copy(path: path, encoder: encoder, sink: BackgroundSink(slowed))
        }
    }

    /// `sink.after(changer)` for a sink known only by its protocol.
    private static func slowed(_ sink: some AudioSink, _ changer: TempoChanger) -> any AudioSink {
        sink.after(changer)
    }

    /// The finished files, for the report.
    func outputs() throws -> [CallReport.Output] {
        try copies.map { try CallReport.Output(path: $0.path, duration: $0.encoder.duration) }
    }
}
