#include "CWebM.h"

#include <webm/callback.h>
#include <webm/file_reader.h>
#include <webm/status.h>
#include <webm/webm_parser.h>

#include <cstdio>
#include <cstring>
#include <deque>
#include <string>
#include <vector>

namespace {

/// The file, read through libwebm's FileReader, that pauses the parser (kWouldBlock) once a frame is waiting,
/// so frames are handed out one at a time and the file is never held whole.
class PausingReader : public webm::Reader {
  public:
    explicit PausingReader(FILE *file) : file_(file) {}
    bool paused = false;

    // libwebm's parser, fed a damaged block, may ask for zero bytes, which its FileReader asserts against
    // (an abort, found by fuzz/run.sh): nothing to read or skip is done at once.
    webm::Status Read(std::size_t count, std::uint8_t *buffer, std::uint64_t *read) override {
        if (paused || count == 0) {
            *read = 0;
            return webm::Status(paused ? webm::Status::kWouldBlock : webm::Status::kOkCompleted);
        }
        return file_.Read(count, buffer, read);
    }
    webm::Status Skip(std::uint64_t count, std::uint64_t *skipped) override {
        if (paused || count == 0) {
            *skipped = 0;
            return webm::Status(paused ? webm::Status::kWouldBlock : webm::Status::kOkCompleted);
        }
        return file_.Skip(count, skipped);
    }
    std::uint64_t Position() const override { return file_.Position(); }

  private:
    webm::FileReader file_;
};

/// Collects the first audio track's description and its frames; skips every other track's blocks.
class AudioFrames : public webm::Callback {
  public:
    PausingReader &reader;
    callaudio_webm_track track{};
    bool has_track = false;
    std::uint64_t track_number = 0;
    std::deque<std::vector<std::uint8_t>> frames;

    explicit AudioFrames(PausingReader &reader) : reader(reader) {}

    webm::Status OnTrackEntry(const webm::ElementMetadata &, const webm::TrackEntry &entry) override {
        if (has_track || entry.track_type.value() != webm::TrackType::kAudio) return Ok();
        has_track = true;
        track_number = entry.track_number.value();
        std::snprintf(track.codec_id, sizeof track.codec_id, "%s", entry.codec_id.value().c_str());
        track.channels = entry.audio.value().channels.value();
        track.sampling_frequency = entry.audio.value().sampling_frequency.value();
        track.codec_delay_ns = entry.codec_delay.value();
        const auto &codec_private = entry.codec_private.value();
        track.codec_private_size = std::min(codec_private.size(), sizeof track.codec_private);
        std::memcpy(track.codec_private, codec_private.data(), track.codec_private_size);
        return Ok();
    }

    webm::Status OnSimpleBlockBegin(const webm::ElementMetadata &, const webm::SimpleBlock &block,
                                    webm::Action *action) override {
        *action = Wanted(block.track_number) ? webm::Action::kRead : webm::Action::kSkip;
        return Ok();
    }

    webm::Status OnBlockBegin(const webm::ElementMetadata &, const webm::Block &block,
                              webm::Action *action) override {
        *action = Wanted(block.track_number) ? webm::Action::kRead : webm::Action::kSkip;
        return Ok();
    }

    webm::Status OnFrame(const webm::FrameMetadata &, webm::Reader *frame_reader,
                         std::uint64_t *bytes_remaining) override {
        std::vector<std::uint8_t> frame(*bytes_remaining);
        std::size_t filled = 0;
        while (*bytes_remaining > 0) {
            std::uint64_t read = 0;
            webm::Status status = frame_reader->Read(*bytes_remaining, frame.data() + filled, &read);
            filled += read;
            *bytes_remaining -= read;
            if (!status.ok()) return status;
            if (read == 0 && status.code != webm::Status::kOkCompleted) return webm::Status(webm::Status::kEndOfFile);
        }
        frames.push_back(std::move(frame));
        reader.paused = true;  // hand this frame out before parsing further
        return Ok();
    }

  private:
    static webm::Status Ok() { return webm::Status(webm::Status::kOkCompleted); }
    bool Wanted(std::uint64_t number) const { return has_track && number == track_number; }
};

void Fail(char *error, std::size_t size, const std::string &message) {
    if (error && size) std::snprintf(error, size, "%s", message.c_str());
}

std::string Describe(const webm::Status &status) {
    switch (status.code) {
    case webm::Status::kEndOfFile: return "the file ends in the middle of an element";
    case webm::Status::kInvalidElementId: return "an element id is not valid (not WebM/Matroska, or damaged)";
    case webm::Status::kInvalidElementSize: return "an element size is not valid (damaged)";
    case webm::Status::kElementOverflow: return "an element overflows its parent (damaged)";
    default: return "libwebm status " + std::to_string(status.code) + " (damaged or not WebM/Matroska)";
    }
}

}  // namespace

struct callaudio_webm {
    PausingReader reader;  // its FileReader owns and closes the FILE

    AudioFrames frames;
    webm::WebmParser parser;
    bool ended = false;

    explicit callaudio_webm(FILE *file) : reader(file), frames(reader) {}

    /// Parses until a frame is waiting or the file ends. False with `message` set when the file is damaged.
    bool Advance(std::string &message) {
        while (frames.frames.empty() && !ended) {
            reader.paused = false;
            webm::Status status = parser.Feed(&frames, &reader);
            if (status.completed_ok()) {
                ended = true;
            } else if (status.code != webm::Status::kWouldBlock) {
                message = Describe(status);
                return false;
            }
        }
        return true;
    }
};

extern "C" callaudio_webm *callaudio_webm_open(const char *path, callaudio_webm_track *track, char *error,
                                                size_t error_size) {
    FILE *file = std::fopen(path, "rb");
    if (!file) {
        Fail(error, error_size, std::strerror(errno));
        return nullptr;
    }
    auto *webm = new callaudio_webm(file);
    std::string message;
    // The tracks come before the first cluster: parse until the first audio frame (or the end).
    if (!webm->Advance(message) || !webm->frames.has_track) {
        Fail(error, error_size, message.empty() ? "holds no audio track" : message);
        delete webm;
        return nullptr;
    }
    *track = webm->frames.track;
    return webm;
}

extern "C" long callaudio_webm_next_frame(callaudio_webm *webm, uint8_t *buffer, size_t capacity, char *error,
                                          size_t error_size) {
    std::string message;
    if (!webm->Advance(message)) {
        Fail(error, error_size, message);
        return -1;
    }
    if (webm->frames.frames.empty()) return 0;
    std::vector<std::uint8_t> &frame = webm->frames.frames.front();
    if (frame.size() > capacity) return -2;
    std::memcpy(buffer, frame.data(), frame.size());
    long size = static_cast<long>(frame.size());
    webm->frames.frames.pop_front();
    return size;
}

extern "C" void callaudio_webm_close(callaudio_webm *webm) { delete webm; }
