import AudioCore
import AudioTesting
import CallAudio
import Foundation
import Testing

/// Every kind of bad input gives an error that names the file and the problem, and leaves no output behind.
/// A class, so that `deinit` removes each test's scratch folder.
@Suite final class BadInputTests {
    let folder: URL

    init() throws { folder = try Fixtures.scratchFolder() }

    deinit { Fixtures.removeScratchFolder(folder) }

    private func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    private func validWAV(seconds: Double = 1) throws -> [UInt8] {
        let url = folder.appendingPathComponent("valid-\(UUID().uuidString).wav")
        try Fixtures.write(Signals.sine(440, seconds: seconds, format: .mono(8_000)), to: url, as: .pcm16)
        return [UInt8](try Data(contentsOf: url))
    }

    /// Processes `path` as the only leg and returns the error, checking that no output appeared.
    private func processFailure(_ path: String) throws -> AudioError {
        let output = folder.appendingPathComponent("out-\(UUID().uuidString)")
        let error = #expect(throws: AudioError.self) {
            try CallProcessor().run(CallRecipe(legs: [.init(path: path)], outputDirectory: output.path))
        }
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: output.path)) ?? []
        #expect(leftovers.isEmpty, "left behind: \(leftovers)")
        return try #require(error)
    }

    @Test func missingFile() throws {
        let error = try processFailure(folder.appendingPathComponent("nowhere.wav").path)
        #expect(error.code == .fileNotFound)
        #expect(error.description.hasSuffix("nowhere.wav: no such file"))
    }

    @Test func emptyFile() throws {
        let error = try processFailure(try file("empty.wav", []))
        #expect(error.code == .noAudio)
        #expect(error.description.contains("empty.wav: is empty"))
    }

    @Test func headerOnlyWAV() throws {
        let error = try processFailure(try file("header.wav", Array(try validWAV().prefix(44))))
        #expect(error.code == .noAudio)
        #expect(error.description.contains("header.wav: holds no audio"))
    }

    @Test func textRenamedWAV() throws {
        let error = try processFailure(try file("notes.wav", Array("This is not audio at all.\n".utf8)))
        #expect(error.code == .unsupportedFormat)
        #expect(error.description.contains("notes.wav: not a readable audio file"))
    }

    @Test func unsupportedFormat() throws {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 7, count: 200)
        let error = try processFailure(try file("picture.mp3", png))
        #expect(error.code == .unsupportedFormat)
        #expect(error.description.contains("picture.mp3"))
    }

    @Test(arguments: [
        ("channels", 22, [UInt8](arrayLiteral: 0x10, 0x27)),  // 10,000 channels
        ("rate", 24, [UInt8](arrayLiteral: 0, 0, 0, 0)),  // 0 Hz
        ("huge-rate", 24, [UInt8](arrayLiteral: 0xFF, 0xFF, 0xFF, 0x7F)),  // 2 GHz
    ])
    func absurdHeaderValues(name: String, offset: Int, bytes: [UInt8]) throws {
        var wav = try validWAV()
        wav.replaceSubrange(offset..<offset + bytes.count, with: bytes)
        let error = try processFailure(try file("\(name).wav", wav))
        #expect(error.code == .unsupportedFormat)
        #expect(error.description.contains("\(name).wav: "))
    }

    @Test func truncatedFileIsDecodedAsFarAsItGoesAndMarkedPartial() throws {
        let whole = try validWAV(seconds: 2)
        let path = try file("cut.wav", Array(whole.prefix(44 + 8_000 * 2)))  // 1 s of 2 s
        let output = folder.appendingPathComponent("partial")
        let report = try CallProcessor().run(CallRecipe(legs: [.init(path: path)], outputDirectory: output.path))
        #expect(report.legs[0].completeness == .partial)
        #expect(abs(report.legs[0].duration - 1) < 0.001)
        #expect(abs(report.duration - 1) < 0.001)
    }

    @Test(arguments: [Fixtures.FileFormat.flac, .mp3, .opus])
    func truncatedCompressedFilesAreMarkedPartial(format: Fixtures.FileFormat) throws {
        let url = folder.appendingPathComponent("whole.\(format.fileExtension)")
        let rate = format == .opus ? 48_000 : 16_000
        try Fixtures.write(Signals.noise(seconds: 4, format: .mono(rate)), to: url, as: format)
        let bytes = [UInt8](try Data(contentsOf: url))
        let path = try file("cut.\(format.fileExtension)", Array(bytes.prefix(bytes.count / 2)))
        let decoder = try FileDecoder(path: path)
        let frames = try decoder.readAll().count
        #expect(decoder.isPartial)
        #expect(frames > rate / 2 && frames < 4 * rate)
    }

    @Test func aFolderIsNotAnAudioFile() throws {
        let error = try processFailure(folder.path)
        #expect(error.description.contains("is a folder"))
    }
}

/// Errors say what is really wrong: not a regular file, or damaged.
@Suite struct HonestReasonTests {
    @Test func aPipeOrDeviceIsNotARegularFile() throws {
        try withScratchFolder { folder throws in
            let fifo = folder.appendingPathComponent("leg.wav").path
            #expect(mkfifo(fifo, 0o600) == 0)
            for path in [fifo, "/dev/null"] {
                let error = try #require(throws: AudioError.self) { try FileDecoder(path: path) }
                #expect(error.description == "\(path): is not a regular file (a pipe, device or socket)")
            }
        }
    }

    @Test func aDamagedMP3IsNotBlamedOnAMissingFile() throws {
        try withScratchFolder { folder throws in
            let url = folder.appendingPathComponent("damaged.mp3")
            try Fixtures.write(Signals.sine(440, seconds: 1, format: .mono(16_000)), to: url, as: .mp3)
            let bytes = [UInt8](try Data(contentsOf: url))
            try Data(Array(bytes.prefix(64)) + [UInt8](repeating: 0x55, count: 600)).write(to: url)
            let error = try #require(throws: AudioError.self) { try FileDecoder(path: url.path).readAll() }
            #expect(error.description.hasSuffix("damaged, or not an audio format we can read)"), "\(error)")
            #expect(error.description.hasPrefix("\(url.path): "))
        }
    }
}

/// An Ogg stream cut at a page boundary (a recorder killed mid-call) is partial, not whole.
@Suite struct TruncatedOggTests {
    /// The offsets at which Ogg pages start.
    private func pageStarts(_ bytes: [UInt8]) -> [Int] {
        (0..<bytes.count - 4).filter { bytes[$0..<$0 + 4].elementsEqual("OggS".utf8) }
    }

    @Test(arguments: [Fixtures.FileFormat.opus, .vorbis])
    func cutAtAPageBoundaryIsPartial(format: Fixtures.FileFormat) throws {
        try withScratchFolder { folder throws in
            let url = folder.appendingPathComponent("whole.\(format.fileExtension)")
            try Fixtures.write(Signals.speechLike(seconds: 20, format: .mono(48_000)), to: url, as: format)
            let whole = try FileDecoder(path: url.path)
            _ = try whole.readAll()
            #expect(!whole.isPartial)

            let bytes = [UInt8](try Data(contentsOf: url))
            let starts = pageStarts(bytes)
            let cut = try #require(starts.first { $0 > bytes.count / 2 })
            let cutURL = folder.appendingPathComponent("cut.\(format.fileExtension)")
            try Data(bytes.prefix(cut)).write(to: cutURL)
            let decoder = try FileDecoder(path: cutURL.path)
            let frames = try decoder.readAll().count
            #expect(decoder.isPartial)
            #expect(frames > 0 && frames < 20 * 48_000)
        }
    }
}
