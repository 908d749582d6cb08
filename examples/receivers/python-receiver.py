#!/usr/bin/env python3
"""A minimal Hookline webhook receiver: Python's standard library only, no pip install.

It checks the Standard Webhooks signature (Hookline's default `standard` signing scheme)
on every request and prints the event. Answers 200 when the signature is valid, 401
otherwise.

    HOOKLINE_WEBHOOK_SECRET=whsec_... PORT=9000 python3 examples/receivers/python-receiver.py

The secret is the `secret` field Hookline returned when you created the endpoint.
"""

import base64
import hashlib
import hmac
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

SECRET = os.environ.get("HOOKLINE_WEBHOOK_SECRET", "")
PORT = int(os.environ.get("PORT", "9000"))
TOLERANCE_SECONDS = 5 * 60

if not SECRET.startswith("whsec_"):
    sys.exit("Set HOOKLINE_WEBHOOK_SECRET to the endpoint secret (whsec_...) that Hookline returned.")
# Standard Webhooks: the HMAC key is the base64-decoded part after "whsec_".
KEY = base64.b64decode(SECRET[len("whsec_"):])

seen = set()  # delivery is at-least-once: use webhook-id (= event id) to drop repeats


def verify(headers, raw_body):
    """Returns None when the request is authentic, else the reason it is not."""
    msg_id = headers.get("webhook-id")
    timestamp = headers.get("webhook-timestamp")
    signatures = headers.get("webhook-signature")
    if not msg_id or not timestamp or not signatures:
        return "missing webhook-id, webhook-timestamp or webhook-signature"

    # Refuse stale (or future) timestamps so a captured request cannot be replayed later.
    if not timestamp.isdigit():
        return "malformed webhook-timestamp"
    age = abs(int(time.time()) - int(timestamp))
    if age > TOLERANCE_SECONDS:
        return f"timestamp is {age}s away from now (tolerance {TOLERANCE_SECONDS}s)"

    # Sign exactly "{id}.{timestamp}.{raw body}"; never a re-serialised JSON object.
    signed = f"{msg_id}.{timestamp}.".encode() + raw_body
    expected = base64.b64encode(hmac.new(KEY, signed, hashlib.sha256).digest())

    # One or more space-separated "v1,<base64>" entries (two while a secret is being
    # rotated). Any one matching is enough; compare_digest takes constant time.
    for entry in signatures.split(" "):
        version, _, value = entry.partition(",")
        if version == "v1" and hmac.compare_digest(value.encode(), expected):
            return None
    return "no matching signature"


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        raw_body = self.rfile.read(int(self.headers.get("content-length") or 0))
        problem = verify(self.headers, raw_body)
        if problem:
            print(f"rejected {self.command} {self.path}: {problem}", file=sys.stderr, flush=True)
            self.answer(401, {"error": problem})
            return
        event = json.loads(raw_body)
        msg_id = self.headers["webhook-id"]
        if msg_id in seen:
            print(f"duplicate {msg_id} (already handled; acknowledging again)", flush=True)
        else:
            seen.add(msg_id)
            print(f"verified {event['type']} {event['id']}", flush=True)
            print(json.dumps(event, indent=2), flush=True)
        self.answer(200, {"ok": True})

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        pass  # keep the output to the events themselves


if __name__ == "__main__":
    server = HTTPServer(("127.0.0.1", PORT), Handler)
    print(f"python receiver listening on http://127.0.0.1:{server.server_port}/webhooks", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
