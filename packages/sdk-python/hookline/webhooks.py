"""Verifying requests Hookline signed: endpoint deliveries (four schemes) and agent callbacks.

Every check runs on the raw body bytes, compares in constant time, and (for the schemes
that sign a timestamp) refuses timestamps more than ``tolerance_seconds`` from now.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import time
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from ._object import object_hook

SCHEMES = ("standard", "x-signature", "agentgateway", "github", "callback")
REASONS = (
    "missing_header",
    "invalid_signature",
    "timestamp_too_old",
    "timestamp_in_future",
    "malformed_header",
    "invalid_secret",
    "unknown_scheme",
)
NEXT_SIGNATURE_HEADER = "x-hookline-next-signature"
_SIGNATURE_HEADER = {
    "standard": "webhook-signature",
    "x-signature": "x-signature",
    "agentgateway": "x-agentgateway-signature",
    "github": "x-hub-signature-256",
    "callback": "x-signature",
}
_TIMESTAMP_HEADER = {"standard": "webhook-timestamp", "agentgateway": "x-agentgateway-timestamp", "callback": "x-timestamp"}
_PREFIXED = ("github", "callback")  # "sha256=<hex>"
_TIMESTAMP = re.compile(r"[0-9]{1,15}")
_HEX64 = re.compile(r"[0-9a-fA-F]{64}")
_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")
_STANDARD_ENTRY = re.compile(r"(v[0-9]+[a-z]*),([A-Za-z0-9+/]+={0,2})")

HeadersLike = Union[Mapping[str, Any], Iterable[Tuple[Any, Any]]]


class WebhookVerificationError(Exception):
    """The request is not a genuine, fresh Hookline request. ``reason`` is one of ``REASONS``.

    The message says what is wrong; it never contains the secret or an expected signature.
    """

    def __init__(self, reason: str, message: str, scheme: Optional[str] = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.scheme = scheme


def detect_scheme(headers: HeadersLike) -> Optional[str]:
    """The scheme a request's headers announce (as Hookline's Inspector decides); None without one."""
    return _detect(_lower_headers(headers))


def _detect(h: Mapping[str, str]) -> Optional[str]:
    if "webhook-signature" in h:
        return "standard"
    if "x-agentgateway-signature" in h:
        return "agentgateway"
    if "x-hub-signature-256" in h:
        return "github"
    if "x-signature" in h:
        return "callback" if "x-timestamp" in h else "x-signature"
    return None


def _text(v: Any) -> str:
    # ASGI and some servers give bytes; HTTP header bytes are latin-1 by definition.
    return v.decode("latin-1") if isinstance(v, (bytes, bytearray)) else str(v)


def _lower_headers(headers: HeadersLike) -> Dict[str, str]:
    """Lower-case names → value. A header sent twice with different values is refused: which
    copy a framework shows is not defined, so a signature must not depend on it."""
    if headers is None:
        raise TypeError("headers must be a mapping or a list of (name, value) pairs")
    items = headers.items() if hasattr(headers, "items") else headers
    out: Dict[str, str] = {}
    for name, value in items:
        key = _text(name).strip().lower()
        val = _text(value).strip()
        if key in out and out[key] != val:
            raise WebhookVerificationError("malformed_header", f"the {key} header was sent more than once with different values")
        out[key] = val
    # Mappings that hide repeats behind one key (http.client.HTTPMessage, werkzeug Headers).
    get_all = getattr(headers, "get_all", None) or getattr(headers, "getlist", None)
    if callable(get_all):
        for key in list(out):
            try:
                values = {_text(v).strip() for v in (get_all(key) or [])}
            except TypeError:
                break
            if len(values) > 1:
                raise WebhookVerificationError("malformed_header", f"the {key} header was sent more than once with different values")
    return out


def _secrets(secret: Union[str, Sequence[str], None], scheme: str) -> List[str]:
    items = [secret] if isinstance(secret, (str, bytes)) else list(secret or [])
    out = [s.decode("utf-8") if isinstance(s, bytes) else s for s in items]
    if not out or any(not isinstance(s, str) or s.strip() == "" for s in out):
        raise WebhookVerificationError("invalid_secret", "the secret is empty: pass the endpoint's whsec_… secret (or the callback's hlcb_… one)", scheme)
    return out


def _standard_key(secret: str) -> bytes:
    """The Standard Webhooks key: base64-decode the part after whsec_ (strictly, like Hookline)."""
    b64 = secret[len("whsec_"):] if secret.startswith("whsec_") else secret
    try:
        key = base64.b64decode(b64, validate=True) if _BASE64.fullmatch(b64) else b""
    except (binascii.Error, ValueError):
        key = b""
    if not key or base64.b64encode(key).decode("ascii") != b64:
        raise WebhookVerificationError("invalid_secret", "the standard scheme needs the endpoint's secret as given: whsec_ followed by base64", "standard")
    return key


def _same(given: str, expected: str) -> bool:
    # compare_digest refuses non-ASCII str; bytes compare any header a sender could put.
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def _check_timestamp(h: Mapping[str, str], scheme: str, tolerance: float, now: float) -> str:
    name = _TIMESTAMP_HEADER[scheme]
    ts = h.get(name)
    if ts is None or ts == "":
        raise WebhookVerificationError("missing_header", f"no {name} header: the {scheme} scheme signs a timestamp", scheme)
    if not _TIMESTAMP.fullmatch(ts):
        raise WebhookVerificationError("malformed_header", f"the {name} header is not a Unix time in seconds", scheme)
    age = now - int(ts)
    if age > tolerance:
        raise WebhookVerificationError("timestamp_too_old", f"the {name} is {int(age)} s old (tolerance {tolerance:g} s): a replayed request, or a clock that is off", scheme)
    if -age > tolerance:
        raise WebhookVerificationError("timestamp_in_future", f"the {name} is {int(-age)} s in the future (tolerance {tolerance:g} s): check the clocks", scheme)
    return ts


def _v1_signatures(value: str) -> Tuple[List[str], bool]:
    """The v1 values of "v<n>,<base64>" entries, and whether any entry was well-formed.
    Other versions (v1a, v2) are allowed by the spec and skipped."""
    v1: List[str] = []
    well_formed = False
    for entry in value.split(" "):
        m = _STANDARD_ENTRY.fullmatch(entry)
        if m:
            well_formed = True
            if m.group(1) == "v1":
                v1.append(m.group(2))
    return v1, well_formed


def _hex_value(scheme: str, value: Optional[str]) -> Optional[str]:
    """A single-signature header in its scheme's form, lower-cased (hex is case-insensitive); None when malformed."""
    if value is None:
        return None
    v = value.strip().lower()
    digits = v[len("sha256="):] if scheme in _PREFIXED and v.startswith("sha256=") else (None if scheme in _PREFIXED else v)
    return v if digits is not None and _HEX64.fullmatch(digits) else None


def _verify_standard(h: Mapping[str, str], body: bytes, keys: List[bytes], ts: str) -> None:
    given, well_formed = _v1_signatures(h["webhook-signature"])
    if not well_formed:
        raise WebhookVerificationError("malformed_header", 'webhook-signature holds no "v1,<base64>" entry', "standard")
    message = f"{h['webhook-id']}.{ts}.".encode("utf-8") + body
    matched = False
    for key in keys:
        expected = base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode("ascii")
        for value in given:  # no early exit: every entry costs the same
            matched = _same(value, expected) or matched
    if not matched:
        raise WebhookVerificationError("invalid_signature", "no webhook-signature entry matches: check the secret, and verify the raw body bytes as received", "standard")


def _verify_single(scheme: str, h: Mapping[str, str], body: bytes, keys: List[bytes], ts: str) -> None:
    main_header = _SIGNATURE_HEADER[scheme]
    message = ts.encode("ascii") + b"." + body if scheme in _TIMESTAMP_HEADER else body
    # During a rotation the main header carries the old secret's signature and
    # X-Hookline-Next-Signature the new one's: a match in either counts.
    main = _hex_value(scheme, h.get(main_header))
    candidates = [v for v in (main, _hex_value(scheme, h.get(NEXT_SIGNATURE_HEADER))) if v is not None]
    prefix = "sha256=" if scheme in _PREFIXED else ""
    matched = False
    for key in keys:
        expected = prefix + hmac.new(key, message, hashlib.sha256).hexdigest()
        for value in candidates:
            matched = _same(value, expected) or matched
    if matched:
        return
    if main is None:
        shape = '"sha256=" followed by 64 hex digits' if scheme in _PREFIXED else "64 hex digits"
        raise WebhookVerificationError("malformed_header", f"the {main_header} header should be {shape}", scheme)
    raise WebhookVerificationError("invalid_signature", f"the {main_header} signature does not match: check the secret, and verify the raw body bytes as received", scheme)


def verify_webhook(
    secret: Union[str, Sequence[str]],
    headers: HeadersLike,
    body: Union[bytes, bytearray, memoryview, str],
    scheme: Optional[str] = None,
    tolerance_seconds: float = 300,
    now: Optional[float] = None,
) -> Dict[str, Any]:
    """Verify a request Hookline sent and return its parsed JSON body.

    - ``secret``: the endpoint's ``whsec_…`` secret (or a callback's ``hlcb_…`` secret). A
      list of secrets is accepted too (any one matching is enough), for a receiver moving
      between secrets.
    - ``headers``: any mapping or list of (name, value) pairs; names are case-insensitive.
    - ``body``: the raw body exactly as received (``bytes``; a ``str`` is UTF-8 encoded).
    - ``scheme``: ``standard``, ``x-signature``, ``agentgateway``, ``github`` or ``callback``;
      ``None`` picks it from the headers. Pin it in production: what a request announces is
      the sender's choice.
    - ``tolerance_seconds``: how far the signed timestamp may be from ``now`` (Unix seconds,
      default the current time). ``x-signature`` and ``github`` sign no timestamp:
      deduplicate on the event ``id`` instead.

    Raises ``WebhookVerificationError`` (with ``.reason``) when the request is not genuine,
    and ``ValueError`` when a genuine body is not JSON.
    """
    if scheme is not None and scheme not in SCHEMES:
        raise WebhookVerificationError("unknown_scheme", f"unknown scheme {scheme!r}: use one of {', '.join(SCHEMES)}")
    if tolerance_seconds is None or tolerance_seconds < 0:
        raise ValueError("tolerance_seconds must be 0 or more")
    if isinstance(body, str):
        raw = body.encode("utf-8")
    elif isinstance(body, (bytes, bytearray, memoryview)):
        raw = bytes(body)
    else:
        raise TypeError("body must be the raw request body: bytes (or str)")
    h = _lower_headers(headers)
    chosen = scheme or _detect(h)
    if chosen is None:
        raise WebhookVerificationError(
            "missing_header",
            "no signature header (looked for webhook-signature, x-agentgateway-signature, x-hub-signature-256 and x-signature)",
        )
    secrets = _secrets(secret, chosen)
    keys = [_standard_key(s) for s in secrets] if chosen == "standard" else [s.encode("utf-8") for s in secrets]
    sig_header = _SIGNATURE_HEADER[chosen]
    if not h.get(sig_header):
        raise WebhookVerificationError("missing_header", f"no {sig_header} header: the {chosen} scheme signs there", chosen)
    if chosen == "standard" and not h.get("webhook-id"):
        raise WebhookVerificationError("missing_header", 'no webhook-id header: Standard Webhooks signs "{webhook-id}.{webhook-timestamp}.{body}"', "standard")
    ts = ""
    if chosen in _TIMESTAMP_HEADER:
        ts = _check_timestamp(h, chosen, tolerance_seconds, time.time() if now is None else float(now))
    if chosen == "standard":
        _verify_standard(h, raw, keys, ts)
    else:
        _verify_single(chosen, h, raw, keys, ts)
    try:
        return json.loads(raw.decode("utf-8"), object_hook=object_hook)
    except (UnicodeDecodeError, ValueError) as e:
        raise ValueError(f"the signature is valid but the body is not JSON: {e}") from None
