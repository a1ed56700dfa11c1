import Hummingbird

/// `GET /openapi.yaml`: the API described in OpenAPI 3.1, compiled into the binary so a deployment that copies
/// only the executable still serves it. ServerTests' OpenAPIDocumentTests keep it true: every route it names
/// exists and every route is named.
struct OpenAPIRoutes: Sendable {
    func add(to router: Router<some RequestContext>) {
        router.get("/openapi.yaml") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "application/yaml"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: Self.document)))
        }
    }

    static let document = #"""
        openapi: 3.1.0
        info:
          title: CallAudio recording service
          version: "1"
          description: >
            Finished calls and voicemails in, recordings, transcripts, waveforms and a player page out. Every /v1 route
            takes `Authorization: Bearer KEY` (keys from --api-key-file or CALLAUDIO_API_KEYS). Media and the player also
            take the signed, expiring `expires` and `token` a recording's JSON hands out, for browsers that cannot send a
            header. With CALLAUDIO_WEBHOOK_SECRET set, POST /v1/calls and /v1/voicemails may instead be signed the
            Standard Webhooks way (webhook-id, webhook-timestamp, webhook-signature).
        servers:
          - url: http://127.0.0.1:8080
        security:
          - apiKey: []
        paths:
          /v1/calls:
            post:
              summary: Take in a finished call's legs and queue its processing.
              operationId: ingestCall
              security:
                - apiKey: []
                - signedRequest: []
              requestBody:
                required: true
                content:
                  multipart/form-data:
                    schema:
                      type: object
                      required: [leg1]
                      additionalProperties: false
                      patternProperties:
                        "^leg[0-9]+$": {type: string, format: binary}
                      properties:
                        leg1:
                          type: string
                          format: binary
                          description: >-
                            The first leg (leg2, leg3, ... follow in order): a file part, or a text part naming a file
                            in the ingest folder (serve --ingest), as c-1001/caller.wav.
                        leg2: {type: string, format: binary}
                        call_id: {type: string, maxLength: 256, description: "The platform's id: the same id again returns the same recording."}
                        offsets: {type: string, example: "2=2.0", description: "Leg start offsets in seconds, LEG=SECONDS, comma-separated."}
                        roles: {type: string, example: "caller,agent"}
                        layout: {type: string, enum: [mono, stereo]}
                        denoise: {$ref: "#/components/schemas/Denoise"}
                        transcribe: {type: string, enum: ["true", "false"]}
              responses:
                "202": {$ref: "#/components/responses/Accepted"}
                "400": {$ref: "#/components/responses/Problem"}
                "401": {$ref: "#/components/responses/Problem"}
                "413": {$ref: "#/components/responses/Problem"}
                "415": {$ref: "#/components/responses/Problem"}
          /v1/voicemails:
            post:
              summary: Take in a voicemail and queue its processing (a voicemail.received event follows).
              operationId: ingestVoicemail
              security:
                - apiKey: []
                - signedRequest: []
              requestBody:
                required: true
                content:
                  multipart/form-data:
                    schema:
                      type: object
                      required: [file]
                      additionalProperties: false
                      properties:
                        file:
                          type: string
                          format: binary
                          description: The message, as a file part or a path in the ingest folder (as for leg1).
                        call_id: {type: string, maxLength: 256}
                        denoise: {$ref: "#/components/schemas/Denoise"}
                        transcribe: {type: string, enum: ["true", "false"], description: With to, the transcript goes into the email.}
                        to: {type: string, example: "user@example.com", description: "Recipients, comma-separated: the voicemail is also emailed (serve --smtp). The fields below need it."}
                        from: {type: string, example: "voicemail@example.com"}
                        caller_number: {type: string, example: "+15551234567"}
                        caller_name: {type: string}
                        mailbox: {type: string}
                        received: {type: string, example: "2026-11-22T09:12:00-05:00", description: ISO 8601 with the mailbox's UTC offset (default now).}
                        time_zone: {type: string, example: America/New_York}
                        bitrate: {type: string, pattern: "^(2[4-9]|3[0-2])$", description: "The attached MP3's kbit/s, 24 to 32 (default 32)."}
              responses:
                "202": {$ref: "#/components/responses/Accepted"}
                "400": {$ref: "#/components/responses/Problem"}
                "401": {$ref: "#/components/responses/Problem"}
                "413": {$ref: "#/components/responses/Problem"}
                "415": {$ref: "#/components/responses/Problem"}
          /v1/recordings/{id}:
            parameters:
              - $ref: "#/components/parameters/RecordingID"
            get:
              summary: A recording's status, duration, legs, outputs, transcript status and signed media URLs.
              operationId: getRecording
              responses:
                "200":
                  description: The recording.
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Recording"}
                "401": {$ref: "#/components/responses/Problem"}
                "404": {$ref: "#/components/responses/Problem"}
            delete:
              summary: Delete the recording and everything made from it; every URL of it answers 404 afterwards.
              operationId: deleteRecording
              responses:
                "204": {description: Deleted.}
                "401": {$ref: "#/components/responses/Problem"}
                "404": {$ref: "#/components/responses/Problem"}
          /v1/recordings/{id}/transcript:
            parameters:
              - $ref: "#/components/parameters/RecordingID"
            post:
              summary: Queue the transcript of a recording that has none (once; 200 when it exists).
              operationId: requestTranscript
              security:
                - apiKey: []
                - mediaToken: []
              responses:
                "200": {$ref: "#/components/responses/TranscriptStatus"}
                "202": {$ref: "#/components/responses/TranscriptStatus"}
                "401": {$ref: "#/components/responses/Problem"}
                "403": {$ref: "#/components/responses/Problem"}
                "404": {$ref: "#/components/responses/Problem"}
          /v1/recordings/{id}/{file}:
            parameters:
              - $ref: "#/components/parameters/RecordingID"
              - name: file
                in: path
                required: true
                schema:
                  type: string
                  enum: [audio.mp3, waveform.json, transcript.json, transcript.vtt, transcript.srt, transcript.txt]
              - name: speed
                in: query
                description: With audio.mp3, a copy at one of the player's speeds (pitch kept), rendered once on first request.
                schema: {type: number, enum: [0.5, 1, 1.5, 2]}
              - name: download
                in: query
                description: "1: served as an attachment (Content-Disposition with filename and filename*)."
                schema: {type: string, enum: ["1"]}
              - $ref: "#/components/parameters/Expires"
              - $ref: "#/components/parameters/Token"
              - name: Range
                in: header
                description: One RFC 9110 byte range (bytes=0-1, bytes=-500, bytes=N-).
                schema: {type: string}
            get:
              summary: A recording's file, with single byte ranges, ETag, If-Range and Last-Modified.
              operationId: getRecordingFile
              security:
                - apiKey: []
                - mediaToken: []
              responses:
                "200": {$ref: "#/components/responses/Media"}
                "206": {$ref: "#/components/responses/Media"}
                "304": {description: Not modified (If-None-Match).}
                "400": {$ref: "#/components/responses/Problem"}
                "401": {$ref: "#/components/responses/Problem"}
                "403": {$ref: "#/components/responses/Problem"}
                "404": {$ref: "#/components/responses/Problem"}
                "416": {description: "The range starts past the end (Content-Range: bytes */LENGTH)."}
            head:
              summary: The headers GET would send, without the body.
              operationId: headRecordingFile
              security:
                - apiKey: []
                - mediaToken: []
              responses:
                "200": {description: The file's headers.}
                "206": {description: The range's headers.}
                "304": {description: Not modified.}
                "400": {description: A speed the player does not offer (0.5, 1, 1.5, 2).}
                "401": {description: No credentials.}
                "403": {description: The token is expired, forged, or for something else (also when no such recording exists).}
                "404": {description: No such recording or file.}
                "416": {description: The range starts past the end.}
          /recordings/{id}:
            parameters:
              - $ref: "#/components/parameters/RecordingID"
              - $ref: "#/components/parameters/Expires"
              - $ref: "#/components/parameters/Token"
            get:
              summary: The player page (play, speed 0.5x to 2x, seek bar from the waveform, download, transcript).
              operationId: player
              security:
                - mediaToken: []
              responses:
                "200":
                  description: The page.
                  content:
                    text/html: {schema: {type: string}}
                "401": {$ref: "#/components/responses/Problem"}
                "403": {$ref: "#/components/responses/Problem"}
                "404": {$ref: "#/components/responses/Problem"}
          /player.js:
            get:
              summary: The player page's script.
              operationId: playerScript
              security: []
              responses:
                "200":
                  description: The script.
                  content:
                    text/javascript: {schema: {type: string}}
          /livez:
            get:
              summary: The process answers.
              operationId: livez
              security: []
              responses:
                "200": {description: ok, content: {text/plain: {schema: {type: string}}}}
          /readyz:
            get:
              summary: The queue and storage are reachable and the service is not draining.
              operationId: readyz
              security: []
              responses:
                "200": {description: ready, content: {text/plain: {schema: {type: string}}}}
                "503": {description: draining, queue unreachable or storage not writable, content: {text/plain: {schema: {type: string}}}}
          /openapi.yaml:
            get:
              summary: This document.
              operationId: openapi
              security: []
              responses:
                "200": {description: The document, content: {application/yaml: {schema: {type: string}}}}
        webhooks:
          recording.ready:
            post:
              summary: A recording's audio is done. Also recording.failed, transcript.ready, voicemail.received and recording.deleted, with the same body.
              requestBody:
                content:
                  application/json:
                    schema: {$ref: "#/components/schemas/Event"}
              responses:
                "2XX": {description: Delivered.}
                "410": {description: Stop sending this event.}
        components:
          securitySchemes:
            apiKey:
              type: http
              scheme: bearer
            mediaToken:
              type: apiKey
              in: query
              name: token
              description: With `expires`, from a recording's audio_url, waveform_url or player_url.
            signedRequest:
              type: apiKey
              in: header
              name: webhook-signature
              description: "v1,BASE64 HMAC-SHA256 of webhook-id.webhook-timestamp.body under CALLAUDIO_WEBHOOK_SECRET."
          parameters:
            RecordingID:
              name: id
              in: path
              required: true
              schema: {type: string, pattern: "^[0-9a-f]{24}$"}
            Expires:
              name: expires
              in: query
              schema: {type: string}
            Token:
              name: token
              in: query
              schema: {type: string}
          responses:
            Accepted:
              description: Taken in; processing is queued (or the call id was seen before and this is its recording).
              content:
                application/json:
                  schema:
                    type: object
                    required: [id, status, url]
                    properties:
                      id: {type: string}
                      status: {type: string, enum: [queued, processing, ready, failed]}
                      url: {type: string}
              links:
                GetRecording: {operationId: getRecording, parameters: {id: "$response.body#/id"}}
                GetRecordingFile: {operationId: getRecordingFile, parameters: {id: "$response.body#/id"}}
                RequestTranscript: {operationId: requestTranscript, parameters: {id: "$response.body#/id"}}
                DeleteRecording: {operationId: deleteRecording, parameters: {id: "$response.body#/id"}}
            Problem:
              description: What is wrong, in one line.
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      error:
                        type: object
                        properties:
                          message: {type: string}
            TranscriptStatus:
              description: Whether the transcript is ready or now requested.
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      transcript: {type: string, enum: [ready, requested]}
            Media:
              description: The file, or the requested range of it.
              content:
                audio/mpeg: {schema: {type: string, format: binary}}
                application/json: {schema: {type: object}}
                text/vtt: {schema: {type: string}}
                text/plain: {schema: {type: string}}
          schemas:
            Denoise:
              type: string
              enum: [off, low, moderate, high, veryhigh, deep]
            Recording:
              type: object
              required: [id, kind, status, legs, outputs, transcript, url, audio_url, player_url, waveform_url]
              properties:
                id: {type: string}
                kind: {type: string, enum: [call, voicemail]}
                call_id: {type: [string, "null"]}
                status: {type: string, enum: [queued, processing, ready, failed]}
                stage: {type: [string, "null"]}
                progress: {type: [number, "null"]}
                duration: {type: [number, "null"], description: Seconds, once ready.}
                legs:
                  type: array
                  items:
                    type: object
                    properties:
                      role: {type: [string, "null"]}
                      format: {type: string}
                      duration: {type: number}
                      offset: {type: number}
                outputs: {type: array, items: {type: string}}
                transcript: {type: string, enum: [none, requested, ready]}
                email:
                  type: object
                  description: For a voicemail that is emailed.
                  required: [status]
                  properties:
                    status: {type: string, enum: [pending, sent, failed]}
                    message_id: {type: string}
                    to: {type: array, items: {type: string}}
                    reply: {type: string, description: The mail server's reply accepting it.}
                    error: {type: string}
                    transcript: {type: string, enum: [not-requested, unavailable, failed, done]}
                error: {type: [string, "null"]}
                url: {type: string}
                audio_url: {type: string, description: Signed and expiring; usable by a browser with no other credentials.}
                player_url: {type: string}
                waveform_url: {type: string}
            Event:
              type: object
              required: [type, timestamp, data]
              properties:
                type: {type: string, enum: [recording.ready, recording.failed, transcript.ready, voicemail.received, recording.deleted]}
                timestamp: {type: string, format: date-time}
                data:
                  type: object
                  required: [id, kind]
                  properties:
                    id: {type: string}
                    kind: {type: string}
                    call_id: {type: string}
                    status: {type: string}
                    duration: {type: number}
                    error: {type: string}
                    url: {type: string}
                    transcript_url: {type: string}
        """#
}
