#!/usr/bin/python3
"""A scripted S3 server for the S3 client's retry tests (stdlib only): it fails on purpose, as SeaweedFS won't.

Requests go to /BUCKET/SCENARIO/..., and each full path counts its requests (N = this one's number):
  busy       503 SlowDown to the first request, then as ok
  throttle   429 SlowDown to the first request, then as ok
  drop       the first request's connection closed with no answer, then as ok
  down       500 InternalError to every request
  refuse     403 AccessDenied to every request
  skewed     403 RequestTimeTooSkewed to every request
  multipart  POST ?uploads, PUT ?partNumber, DELETE ?uploadId as S3 does; POST ?uploadId answers 200 OK with an
             <Error> InternalError body the first time, then the result, its ETag quoted with &#34; as SeaweedFS does
  ok         PUT: 200 with ETag "attempt-N"; GET: 200 with the body "attempt N"
Errors carry "attempt N" as their Message. Like AWS (and unlike SeaweedFS), a body whose SHA-256 is not the
request's x-amz-content-sha256 is refused with 400 XAmzContentSHA256Mismatch. Prints the port once listening,
then serves until its standard input closes.
"""
import collections
import hashlib
import http.server
import sys
import threading
import urllib.parse

seen = collections.Counter()
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def error(self, status, code, attempt):
        body = (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code>"
                f"<Message>attempt {attempt}</Message></Error>").encode()
        self.reply(status, body, [("Content-Type", "application/xml")])

    def handle_any(self):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with lock:
            seen[(self.command, url.path, url.query)] += 1
            attempt = seen[(self.command, url.path, url.query)]
        if hashlib.sha256(body).hexdigest() != self.headers.get("x-amz-content-sha256"):
            return self.error(400, "XAmzContentSHA256Mismatch", attempt)
        parts = url.path.split("/")
        scenario = parts[2] if len(parts) > 2 else ""
        if scenario in ("busy", "throttle", "drop") and attempt == 1:
            if scenario == "drop":
                self.close_connection = True
                self.connection.shutdown(2)
                return
            return self.error(503 if scenario == "busy" else 429, "SlowDown", attempt)
        if scenario == "down":
            return self.error(500, "InternalError", attempt)
        if scenario == "refuse":
            return self.error(403, "AccessDenied", attempt)
        if scenario == "skewed":
            return self.error(403, "RequestTimeTooSkewed", attempt)
        if scenario == "multipart":
            if self.command == "POST" and "uploads" in query:
                return self.reply(200, b"<InitiateMultipartUploadResult><UploadId>u-1</UploadId>"
                                       b"</InitiateMultipartUploadResult>")
            if self.command == "PUT" and "partNumber" in query:
                return self.reply(200, headers=[("ETag", f"\"part-{query['partNumber'][0]}\"")])
            if self.command == "POST" and "uploadId" in query:
                if attempt == 1:
                    return self.reply(200, b"<Error><Code>InternalError</Code><Message>attempt 1</Message></Error>")
                return self.reply(200, b"<CompleteMultipartUploadResult><ETag>&#34;whole-1&#34;</ETag>"
                                       b"</CompleteMultipartUploadResult>")
            if self.command == "DELETE":
                return self.reply(204)
        if self.command == "PUT":
            return self.reply(200, headers=[("ETag", f"\"attempt-{attempt}\"")])
        return self.reply(200, f"attempt {attempt}".encode(), [("Content-Type", "text/plain")])

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = handle_any


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
threading.Thread(target=server.serve_forever, daemon=True).start()
print(server.server_address[1], flush=True)
sys.stdin.read()
