"""Verify what Hookline sends, with Python's standard library only. Copy the function for your scheme.

Every function takes the secret, the request headers (a case-insensitive mapping such as
http.server's self.headers or Flask's request.headers, or a dict with lower-case names) and
the raw body bytes exactly as received, and returns True when the request is authentic.
"""
import base64
import hashlib
import hmac
import time

TOLERANCE_SECONDS = 5 * 60


def _fresh(ts):
    """A Unix-seconds timestamp within 5 minutes of now, so a captured request cannot be replayed later."""
    return ts is not None and ts.isdigit() and len(ts) <= 15 and abs(time.time() - int(ts)) <= TOLERANCE_SECONDS


def _hex_hmac(secret: str, message: bytes) -> str:
    # x-signature, github, agentgateway, callbacks: the key is the whole secret string.
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def _either(headers, main: str, expected: str) -> bool:
    # During a rotation the new secret's signature is in X-Hookline-Next-Signature; either may match.
    given = [headers.get(main), headers.get("x-hookline-next-signature")]
    return any(g is not None and hmac.compare_digest(g.lower().encode(), expected.encode()) for g in given)


def verify_standard(secret: str, headers, body: bytes) -> bool:
    """`standard` (endpoints' default; Standard Webhooks): webhook-id, webhook-timestamp, webhook-signature."""
    msg_id, ts, signatures = headers.get("webhook-id"), headers.get("webhook-timestamp"), headers.get("webhook-signature")
    if not msg_id or not signatures or not _fresh(ts):
        return False
    key = base64.b64decode(secret[len("whsec_"):])  # the part after whsec_, base64-decoded
    expected = base64.b64encode(hmac.new(key, f"{msg_id}.{ts}.".encode() + body, hashlib.sha256).digest())
    # Space-separated "v1,<sig>" entries (two during a rotation); one match is enough.
    return any(e.startswith("v1,") and hmac.compare_digest(e[3:].encode(), expected) for e in signatures.split(" "))


def verify_x_signature(secret: str, headers, body: bytes) -> bool:
    """`x-signature`: X-Signature = hex HMAC of the body."""
    return _either(headers, "x-signature", _hex_hmac(secret, body))


def verify_github(secret: str, headers, body: bytes) -> bool:
    """`github`: X-Hub-Signature-256 = "sha256=" + hex HMAC of the body."""
    return _either(headers, "x-hub-signature-256", "sha256=" + _hex_hmac(secret, body))


def verify_agentgateway(secret: str, headers, body: bytes) -> bool:
    """`agentgateway` endpoints and named notification webhooks: hex HMAC of "{timestamp}.{body}"."""
    ts = headers.get("x-agentgateway-timestamp")
    return _fresh(ts) and _either(headers, "x-agentgateway-signature", _hex_hmac(secret, f"{ts}.".encode() + body))


def verify_callback(secret: str, headers, body: bytes) -> bool:
    """Agent callbacks (hlcb_… secret): X-Signature = "sha256=" + hex HMAC of "{X-Timestamp}.{body}"."""
    ts, given = headers.get("x-timestamp"), headers.get("x-signature")
    if not _fresh(ts) or given is None:
        return False
    return hmac.compare_digest(given.lower().encode(), ("sha256=" + _hex_hmac(secret, f"{ts}.".encode() + body)).encode())
