import AudioCore
import AudioTesting
import COpus
import CallAudio
import Foundation
import Testing

@Suite struct OpusPacketDecoderTests {
    /// 20 ms packets of a 1 kHz tone, from libopus's own encoder.
    static func packets(seconds: Double, rate: Int = 48_000) -> [[UInt8]] {
        var status: Int32 = 0
        let encoder = opus_encoder_create(Int32(rate), 1, OPUS_APPLICATION_VOIP, &status)!
        defer { opus_encoder_destroy(encoder) }
        let tone = Signals.sine(1_000, amplitude: 0.5, seconds: seconds, format: .mono(rate)).samples
        let frame = rate / 50
        return stride(from: 0, to: tone.count - frame + 1, by: frame).map { start in
            var packet = [UInt8](repeating: 0, count: 1_500)
            let bytes = Array(tone[start..<start + frame]).withUnsafeBufferPointer {
                opus_encode_float(encoder, $0.baseAddress!, Int32(frame), &packet, Int32(packet.count))
            }
            return Array(packet.prefix(Int(bytes)))
        }
    }

    @Test(arguments: [8_000, 16_000, 48_000])
    func decodesPacketsAtTheRateAsked(rate: Int) throws {
        let decoder = try OpusPacketDecoder(sampleRate: rate, channelCount: 1)
        let audio = try Self.packets(seconds: 1).flatMap { try decoder.decode($0).samples }
        #expect(audio.count == rate)
        let settled = audio[(rate / 2)...]
        #expect(abs(Measure.toneDB(settled, frequency: 1_000, sampleRate: rate) - 20 * log10(0.5)) < 1.5)
    }

    @Test func fillsALostPacketWithItsDurationAndKeepsTheTone() throws {
        let decoder = try OpusPacketDecoder(sampleRate: 16_000, channelCount: 1)
        var audio: [Float] = []
        for (index, packet) in Self.packets(seconds: 1).enumerated() {
            if index == 20 { continue }
            if index == 21 { audio += try decoder.recover(frames: 320, before: packet).samples }
            audio += try decoder.decode(packet).samples
        }
        audio += try decoder.conceal(frames: 800).samples
        #expect(audio.count == 16_000 + 800)
        let frequency = Measure.dominantFrequency(
            audio[6_000..<8_000], sampleRate: 16_000, from: 900, to: 1_100, step: 10)
        #expect(abs(frequency - 1_000) < 20)
    }

    @Test func refusesADamagedPacketAndImpossibleFormats() throws {
        #expect(throws: AudioError.self) { try OpusPacketDecoder(sampleRate: 44_100, channelCount: 1) }
        #expect(throws: AudioError.self) { try OpusPacketDecoder(sampleRate: 48_000, channelCount: 3) }
        let decoder = try OpusPacketDecoder(sampleRate: 48_000, channelCount: 1)
        #expect(throws: AudioError.self) { try decoder.decode([0xFF, 0xFF, 0xFF]) }
    }
}
