import AudioCore
import CSndFile

/// One open libsndfile handle, closed when this object goes away.
final class SoundFile {
    let handle: OpaquePointer
    private(set) var info: SF_INFO
    let path: String

    /// Opens `path` for reading; the error carries libsndfile's own reason.
    init(reading path: String) throws(AudioError) {
        var info = SF_INFO()
        guard let handle = sf_open(path, Int32(SFM_READ), &info) else {
            throw AudioError(.unsupportedFormat, path: path, "not a readable audio file (\(Self.openFailureReason()))")
        }
        self.handle = handle
        self.info = info
        self.path = path
    }

    /// Creates `path` for writing with the given container, encoding, rate and channel count.
    init(writing path: String, format: Int32, sampleRate: Int, channelCount: Int) throws(AudioError) {
        var info = SF_INFO()
        info.format = format
        info.samplerate = Int32(sampleRate)
        info.channels = Int32(channelCount)
        guard let handle = sf_open(path, Int32(SFM_WRITE), &info) else {
            throw AudioError(.writeFailed, path: path, "cannot create (\(String(cString: sf_strerror(nil))))")
        }
        self.handle = handle
        self.info = info
        self.path = path
    }

    deinit { sf_close(handle) }

    /// libsndfile's reason for the last failed open. Its "File does not exist or is not a regular file" is
    /// what it says of an existing regular file it cannot parse (a damaged MP3): the caller has already checked
    /// that the file exists and is regular, so the honest reason is damage.
    private static func openFailureReason() -> String {
        let reason = String(cString: sf_strerror(nil))
        return reason.hasPrefix("File does not exist or is not a regular file")
            ? "damaged, or not an audio format we can read" : reason
    }

    /// For an Ogg/Opus file, makes libopus decode at `sampleRate` (8, 12, 16, 24 or 48 kHz); other files
    /// are left as they are.
    func decodeOpus(at sampleRate: Int) {
        guard info.format & Int32(SF_FORMAT_SUBMASK) == Int32(SF_FORMAT_OPUS) else { return }
        var rate = Int32(sampleRate)
        guard sf_command(handle, Int32(SFC_SET_ORIGINAL_SAMPLERATE), &rate, Int32(MemoryLayout<Int32>.size)) == SF_TRUE
        else { return }
        sf_command(handle, Int32(SFC_GET_CURRENT_SF_INFO), &info, Int32(MemoryLayout<SF_INFO>.size))
    }

    /// libsndfile's parse log of the header: where it notes damage such as `data : 29174 (should be 14942)`.
    var log: String {
        var buffer = [UInt8](repeating: 0, count: 4096)
        sf_command(handle, Int32(SFC_GET_LOG_INFO), &buffer, Int32(buffer.count))
        return String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// "WAV (Microsoft) / U-Law": the container and the encoding, as libsndfile names them.
    var formatName: String {
        let major = name(of: info.format & Int32(SF_FORMAT_TYPEMASK))
        let subtype = name(of: info.format & Int32(SF_FORMAT_SUBMASK))
        return "\(major) / \(subtype)"
    }

    /// True for an Ogg container (Vorbis, Opus, ...).
    var isOgg: Bool { info.format & Int32(SF_FORMAT_TYPEMASK) == Int32(SF_FORMAT_OGG) }

    /// The last error libsndfile recorded on this handle, if any.
    var lastError: String? {
        sf_error(handle) == 0 ? nil : String(cString: sf_strerror(handle))
    }

    private func name(of format: Int32) -> String {
        var formatInfo = SF_FORMAT_INFO()
        formatInfo.format = format
        guard sf_command(nil, Int32(SFC_GET_FORMAT_INFO), &formatInfo, Int32(MemoryLayout<SF_FORMAT_INFO>.size)) == 0,
            let name = formatInfo.name
        else { return "unknown" }
        return String(cString: name)
    }
}
