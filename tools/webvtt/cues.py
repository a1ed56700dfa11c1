"""Prints the cues of a WebVTT or SRT file as JSON lines, read with webvtt-py: an independent check of
callaudio's call.vtt and call.srt.

webvtt-py leaves character references (&lt;) as written; they are decoded here as a browser decodes them.

usage: cues.py FILE.vtt|FILE.srt   ->   {"start": 0.5, "end": 2.25, "voice": "Caller", "text": "..."} per cue
"""
import html
import json
import sys

import webvtt


def seconds(timestamp):
    hours, minutes, rest = timestamp.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(rest)


path = sys.argv[1]
for caption in webvtt.from_srt(path) if path.endswith(".srt") else webvtt.read(path):
    print(json.dumps({"start": seconds(caption.start), "end": seconds(caption.end), "voice": caption.voice,
                      "text": html.unescape(caption.text)}))
