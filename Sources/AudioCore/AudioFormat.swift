/// The shape of a stream of samples: how many frames per second and how many channels per frame.
///
/// Samples are always Float32 in the range -1...1, interleaved when there is more than one channel.
public struct AudioFormat: Hashable, Sendable, Codable, CustomStringConvertible {
    public var sampleRate: Int
    public var channelCount: Int

    public init(sampleRate: Int, channelCount: Int) {
        precondition(sampleRate > 0 && channelCount > 0, "a format needs a positive rate and channel count")
        self.sampleRate = sampleRate
        self.channelCount = channelCount
    }

    public static func mono(_ sampleRate: Int) -> AudioFormat { AudioFormat(sampleRate: sampleRate, channelCount: 1) }
    public static func stereo(_ sampleRate: Int) -> AudioFormat { AudioFormat(sampleRate: sampleRate, channelCount: 2) }

    /// Converts a frame count to seconds at this rate.
    public func seconds(forFrames frames: Int) -> Double { Double(frames) / Double(sampleRate) }

    /// Converts seconds to the nearest whole frame count at this rate.
    public func frames(forSeconds seconds: Double) -> Int { Int((seconds * Double(sampleRate)).rounded()) }

    public var description: String { "\(sampleRate) Hz, \(channelCount == 1 ? "mono" : "\(channelCount) ch")" }
}
