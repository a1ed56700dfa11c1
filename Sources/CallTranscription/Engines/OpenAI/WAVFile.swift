import Foundation

/// A clip as a canonical 16-bit PCM WAV file, the upload format every transcription server reads.
enum WAVFile {
    static func pcm16(_ clip: SpeechClip) -> Data {
        let samples = clip.pcm16
        let dataBytes = samples.count * 2
        var file = Data(capacity: 44 + dataBytes)
        func append<T: FixedWidthInteger>(_ value: T) {
            withUnsafeBytes(of: value.littleEndian) { file.append(contentsOf: $0) }
        }
        file.append(Data("RIFF".utf8))
        append(UInt32(36 + dataBytes))
        file.append(Data("WAVEfmt ".utf8))
        append(UInt32(16))
        append(UInt16(1))  // PCM
        append(UInt16(1))  // mono
        append(UInt32(SpeechClip.sampleRate))
        append(UInt32(SpeechClip.sampleRate * 2))
        append(UInt16(2))
        append(UInt16(16))
        file.append(Data("data".utf8))
        append(UInt32(dataBytes))
        samples.withUnsafeBytes { raw in
            for sample in raw.bindMemory(to: Int16.self) { append(sample) }
        }
        return file
    }
}
