"""Sign requests to Hookline's trigger URLs, with Python's standard library only.

Each function returns the headers to send with `body`, the exact bytes you send.
"""
import base64
import hashlib
import hmac
import time
import uuid


def _hex(secret: str, message: bytes) -> str:
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def sign_hookline(secret: str, body: bytes, timestamp=None, with_timestamp=True) -> dict:
    """`hookline` (an agent's own trigger URL, and named triggers with scheme hookline).

    X-Signature = hex HMAC of the body; with X-Timestamp it covers "{ts}.{body}" and Hookline
    refuses it after 5 minutes, so it cannot be replayed.
    """
    if not with_timestamp:
        return {"X-Signature": _hex(secret, body)}
    ts = str(timestamp or int(time.time()))
    return {"X-Timestamp": ts, "X-Signature": _hex(secret, ts.encode() + b"." + body)}


def sign_github(secret: str, body: bytes, event: str, delivery=None) -> dict:
    """`github`: what GitHub sends. `event` is X-GitHub-Event; the delivery id deduplicates."""
    return {
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": delivery or str(uuid.uuid4()),
        "X-Hub-Signature-256": "sha256=" + _hex(secret, body),
    }


def sign_standard(secret: str, body: bytes, msg_id=None, timestamp=None) -> dict:
    """`standard` (Standard Webhooks; secret whsec_…): the key is the base64-decoded part after whsec_."""
    msg_id = msg_id or f"msg_{uuid.uuid4()}"
    ts = str(timestamp or int(time.time()))
    key = base64.b64decode(secret[len("whsec_"):])
    signature = base64.b64encode(hmac.new(key, f"{msg_id}.{ts}.".encode() + body, hashlib.sha256).digest()).decode()
    return {"webhook-id": msg_id, "webhook-timestamp": ts, "webhook-signature": f"v1,{signature}"}


def sign_grafana(secret: str, body: bytes, timestamp=None) -> dict:
    """`grafana`: what Grafana's webhook contact point sends with an HMAC secret and a timestamp header."""
    ts = str(timestamp or int(time.time()))
    return {"X-Grafana-Alerting-Timestamp": ts, "X-Grafana-Alerting-Signature": _hex(secret, ts.encode() + b":" + body)}
