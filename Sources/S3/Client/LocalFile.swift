import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A local file read or written straight to and from `ByteBuffer`s with POSIX calls, for uploads and downloads:
/// a part is read into the buffer that is sent, with no copy through `Data`. Closed by `close()` or when released.
final class LocalFile {
    private var descriptor: Int32
    let path: String

    /// Opens `path` to read.
    init(reading path: String) throws {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw LocalFileError(path: path, action: "open", code: errno) }
    }

    /// Creates `path` (replacing a file there) to write.
    init(creating path: String) throws {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw LocalFileError(path: path, action: "create", code: errno) }
    }

    deinit {
        if descriptor >= 0 { _ = closeFile(descriptor) }
    }

    /// The file's size now.
    func size() throws -> Int {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw LocalFileError(path: path, action: "stat", code: errno) }
        return Int(info.st_size)
    }

    /// Up to `count` bytes from the current position; fewer only at the end of the file.
    func read(upTo count: Int) throws -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: count)
        var atEnd = false
        while !atEnd, buffer.readableBytes < count {
            let wanted = count - buffer.readableBytes
            try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: wanted) { pointer in
                let got = systemRead(descriptor, pointer.baseAddress, wanted)
                if got > 0 { return got }
                if got == 0 {
                    atEnd = true
                } else if errno != EINTR {
                    throw LocalFileError(path: path, action: "read", code: errno)
                }
                return 0
            }
        }
        return buffer
    }

    /// Writes all of `buffer`'s readable bytes.
    func write(_ buffer: ByteBuffer) throws {
        try buffer.withUnsafeReadableBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let wrote = systemWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                guard wrote >= 0 else {
                    if errno == EINTR { continue }
                    throw LocalFileError(path: path, action: "write", code: errno)
                }
                offset += wrote
            }
        }
    }

    /// Closes the file (after `fsync` when it was written, so a rename after it publishes whole bytes).
    func close() throws {
        guard descriptor >= 0 else { return }
        let descriptor = self.descriptor
        self.descriptor = -1
        _ = fsync(descriptor)
        guard closeFile(descriptor) == 0 else { throw LocalFileError(path: path, action: "close", code: errno) }
    }

    /// Renames `path` to `destination`, replacing a file there in one step.
    static func rename(_ path: String, to destination: String) throws {
        guard renameFile(path, destination) == 0 else {
            throw LocalFileError(path: destination, action: "rename to", code: errno)
        }
    }
}

// The system's calls under names of their own, as the methods' names hide them inside the class.
private func systemRead(_ descriptor: Int32, _ bytes: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, bytes, count)
}
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
private func closeFile(_ descriptor: Int32) -> Int32 { close(descriptor) }
private func renameFile(_ from: String, _ to: String) -> Int32 { rename(from, to) }

/// A local file that could not be read or written, with the system's reason.
public struct LocalFileError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var action: String
    public var code: Int32

    public var description: String { "cannot \(action) \(path): \(String(cString: strerror(code)))" }
}
