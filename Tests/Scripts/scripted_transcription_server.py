#!/usr/bin/python3
"""A scripted OpenAI-compatible transcription server for the `openai` engine's tests (stdlib only).

POST /v1/audio/transcriptions answers according to the `model` field's first word (before '-'):
  ok         200 verbose_json: two segments, words listed beside them
  busy       429 with Retry-After: 1 to the first request of that model name, then as ok
  down       503 to every request
  refuse     400 with OpenAI's error JSON
  malformed  200 with a body that is not JSON
  slow       answers as ok after 3 s (longer than the tests' timeout)
Every request is appended to FOLDER/requests.jsonl as JSON: the text fields (repeated ones as lists), the
file's name, type and size, whether it is a RIFF/WAVE file, and the Authorization header. Prints the port
once listening, then serves until its standard input closes. With `--cert CERT.pem --key KEY.pem` after the
folder, it speaks HTTPS with that certificate."""
import collections
import email.parser
import email.policy
import http.server
import json
import os
import ssl
import sys
import threading
import time

folder = sys.argv[1]
seen = collections.Counter()
lock = threading.Lock()

REPLY = {
    "task": "transcribe", "language": "english", "duration": 4.0, "text": "Hello there. How can I help?",
    "segments": [
        {"id": 0, "start": 0.5, "end": 1.5, "text": " Hello there.", "avg_logprob": -0.1},
        {"id": 1, "start": 2.0, "end": 3.5, "text": " How can I help?", "avg_logprob": -0.3},
    ],
    "words": [
        {"word": " Hello", "start": 0.5, "end": 0.9, "probability": 0.75}, {"word": " there.", "start": 0.9, "end": 1.5},
        {"word": " How", "start": 2.0, "end": 2.3}, {"word": " can", "start": 2.3, "end": 2.6},
        {"word": " I", "start": 2.6, "end": 2.8}, {"word": " help?", "start": 2.8, "end": 3.5},
    ],
}


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, body, content_type="application/json", headers=()):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + self.headers["Content-Type"].encode() + b"\r\n\r\n" + body)
        fields, upload = {}, None
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if part.get_filename():
                data = part.get_payload(decode=True)
                upload = {"filename": part.get_filename(), "type": part.get_content_type(), "bytes": len(data),
                          "wav": data[:4] == b"RIFF" and data[8:12] == b"WAVE"}
            elif name in fields:
                fields[name] = (fields[name] if isinstance(fields[name], list) else [fields[name]]) + [part.get_content()]
            else:
                fields[name] = part.get_content()
        model = fields.get("model", "")
        with lock:
            seen[model] += 1
            count = seen[model]
            with open(os.path.join(folder, "requests.jsonl"), "a") as log:
                log.write(json.dumps({"path": self.path, "fields": fields, "file": upload,
                                      "authorization": self.headers.get("Authorization")}) + "\n")
        kind = model.split("-")[0]
        if self.path != "/v1/audio/transcriptions":
            self.reply(404, {"error": {"message": "no such route"}})
        elif kind == "busy" and count == 1:
            self.reply(429, {"error": {"message": "slow down"}}, headers=[("Retry-After", "1")])
        elif kind == "down":
            self.reply(503, {"error": {"message": "overloaded"}})
        elif kind == "refuse":
            self.reply(400, {"error": {"message": "model 'refuse' does not exist"}})
        elif kind == "malformed":
            self.reply(200, b"<html>not a transcription</html>", "text/html")
        else:
            if kind == "slow":
                time.sleep(3)
            self.reply(200, REPLY)


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
if "--cert" in sys.argv:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(sys.argv[sys.argv.index("--cert") + 1], sys.argv[sys.argv.index("--key") + 1])
    server.socket = context.wrap_socket(server.socket, server_side=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
print(server.server_address[1], flush=True)
sys.stdin.read()
server.shutdown()
