"""verify_webhook against vectors signed by Hookline's own signing code, and against attacks.

The vectors below were produced by packages/server/src/crypto/signing.ts signatureHeaders()
(the code that signs real deliveries), plus the public Standard Webhooks example. The
`sign()` helper here is written independently of the SDK and checked against them first,
so the attack tests start from requests known to be correctly signed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import unittest
from email.message import Message

import _support  # noqa: F401  (puts this checkout's hookline on sys.path)
from hookline import HooklineObject, SCHEMES, WebhookVerificationError, detect_scheme, verify_webhook

BODY = (
    '{"id":"evt_01JQ8X5K2M3N4P5R6S7T8V9W","type":"invoice.paid","timestamp":"2026-03-08T14:30:00.000Z",'
    '"org_id":"org_default","env_id":"env_default","data":{"invoice_id":"inv_42","amount_cents":1999,"note":"caf\u00e9 \u2603"}}'
).encode("utf-8")
MSG_ID = "evt_01JQ8X5K2M3N4P5R6S7T8V9W"
TS = 1772980200
OLD = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
NEW = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"

# scheme -> (headers with one secret (OLD), headers during a rotation OLD -> NEW)
VECTORS = {
    "standard": (
        {"webhook-id": MSG_ID, "webhook-timestamp": "1772980200", "webhook-signature": "v1,fL8YiURvx10xa+10ahxBC1v1rTHFyMFwJUAs26rrFNc="},
        {"webhook-id": MSG_ID, "webhook-timestamp": "1772980200", "webhook-signature": "v1,8DPJ6sZfOUkGfI5wNH4HUm/XmwH3JBcsJL1A4D9BM/Q= v1,fL8YiURvx10xa+10ahxBC1v1rTHFyMFwJUAs26rrFNc="},
    ),
    "x-signature": (
        {"X-Signature": "46906f45305bd684db2af8e9a1b40d2bae53601eb6b9d1420f6164c4b6710953"},
        {"X-Signature": "46906f45305bd684db2af8e9a1b40d2bae53601eb6b9d1420f6164c4b6710953", "X-Hookline-Next-Signature": "f5874284bda7a5536562c0bbd6fa40f822f5809b81b0c9994dfc6b8d8ad2428c"},
    ),
    "agentgateway": (
        {"X-AgentGateway-Signature": "e5946060e69dfe7bcce13f8f048f360d22a5fadd2b9f7a686f2dfdf21f7327a1", "X-AgentGateway-Timestamp": "1772980200"},
        {"X-AgentGateway-Signature": "e5946060e69dfe7bcce13f8f048f360d22a5fadd2b9f7a686f2dfdf21f7327a1", "X-AgentGateway-Timestamp": "1772980200", "X-Hookline-Next-Signature": "98fd63ef905cae34e88c631d3f1e8592a2655c0fed5e9f07631cb40935003bac"},
    ),
    "github": (
        {"X-Hub-Signature-256": "sha256=46906f45305bd684db2af8e9a1b40d2bae53601eb6b9d1420f6164c4b6710953"},
        {"X-Hub-Signature-256": "sha256=46906f45305bd684db2af8e9a1b40d2bae53601eb6b9d1420f6164c4b6710953", "X-Hookline-Next-Signature": "sha256=f5874284bda7a5536562c0bbd6fa40f822f5809b81b0c9994dfc6b8d8ad2428c"},
    ),
    "callback": (
        {"X-Signature": "sha256=e5946060e69dfe7bcce13f8f048f360d22a5fadd2b9f7a686f2dfdf21f7327a1", "X-Timestamp": "1772980200"},
        {"X-Signature": "sha256=e5946060e69dfe7bcce13f8f048f360d22a5fadd2b9f7a686f2dfdf21f7327a1", "X-Timestamp": "1772980200", "X-Hookline-Next-Signature": "sha256=98fd63ef905cae34e88c631d3f1e8592a2655c0fed5e9f07631cb40935003bac"},
    ),
}
SIG_HEADER = {"standard": "webhook-signature", "x-signature": "X-Signature", "agentgateway": "X-AgentGateway-Signature", "github": "X-Hub-Signature-256", "callback": "X-Signature"}
TS_HEADER = {"standard": "webhook-timestamp", "agentgateway": "X-AgentGateway-Timestamp", "callback": "X-Timestamp"}


def sign(scheme: str, secret: str, body: bytes, ts: int = TS, msg_id: str = MSG_ID) -> dict:
    """Headers for one request, computed from the docs' table (not with the SDK)."""
    if scheme == "standard":
        key = base64.b64decode(secret[len("whsec_"):])
        mac = hmac.new(key, f"{msg_id}.{ts}.".encode() + body, hashlib.sha256).digest()
        return {"webhook-id": msg_id, "webhook-timestamp": str(ts), "webhook-signature": "v1," + base64.b64encode(mac).decode()}
    signed = f"{ts}.".encode() + body if scheme in TS_HEADER else body
    value = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    if scheme in ("github", "callback"):
        value = "sha256=" + value
    headers = {SIG_HEADER[scheme]: value}
    if scheme in TS_HEADER:
        headers[TS_HEADER[scheme]] = str(ts)
    return headers


class VectorTest(unittest.TestCase):
    def test_sign_helper_reproduces_hookline_vectors(self):
        for scheme in SCHEMES:
            with self.subTest(scheme=scheme):
                self.assertEqual(sign(scheme, OLD, BODY), VECTORS[scheme][0])

    def test_each_scheme_verifies_and_returns_the_event(self):
        for scheme in SCHEMES:
            for explicit in (scheme, None):
                with self.subTest(scheme=scheme, explicit=explicit):
                    event = verify_webhook(OLD, VECTORS[scheme][0], BODY, scheme=explicit, now=TS)
                    self.assertIsInstance(event, dict)
                    self.assertIsInstance(event, HooklineObject)
                    self.assertEqual(event["id"], MSG_ID)
                    self.assertEqual(event.type, "invoice.paid")
                    self.assertEqual(event.data["note"], "caf\u00e9 \u2603")

    def test_standard_webhooks_public_example(self):
        headers = {"webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek", "webhook-timestamp": "1614265330", "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="}
        self.assertEqual(verify_webhook(OLD, headers, b'{"test": 2432232314}', now=1614265330), {"test": 2432232314})

    def test_rotation_either_secret_verifies(self):
        for scheme in SCHEMES:
            for secret in (OLD, NEW):
                with self.subTest(scheme=scheme, secret=secret[:10]):
                    self.assertEqual(verify_webhook(secret, VECTORS[scheme][1], BODY, scheme=scheme, now=TS).id, MSG_ID)

    def test_a_list_of_secrets_matches_any(self):
        other = "whsec_" + base64.b64encode(b"x" * 24).decode()
        for scheme in SCHEMES:
            with self.subTest(scheme=scheme):
                self.assertEqual(verify_webhook([other, OLD], VECTORS[scheme][0], BODY, scheme=scheme, now=TS).id, MSG_ID)
                with self.assertRaises(WebhookVerificationError) as cm:
                    verify_webhook([other], VECTORS[scheme][0], BODY, scheme=scheme, now=TS)
                self.assertEqual(cm.exception.reason, "invalid_signature")

    def test_next_signature_alone_is_not_enough_without_the_main_header(self):
        for scheme in ("x-signature", "agentgateway", "github", "callback"):
            headers = dict(VECTORS[scheme][1])
            del headers[SIG_HEADER[scheme]]
            with self.subTest(scheme=scheme):
                self.assertReason("missing_header", NEW, headers, BODY, scheme=scheme)

    def test_headers_are_case_insensitive_and_any_mapping(self):
        upper = {k.upper(): v for k, v in VECTORS["agentgateway"][0].items()}
        self.assertEqual(verify_webhook(OLD, upper, BODY, now=TS).id, MSG_ID)
        pairs = [(k.encode(), v.encode()) for k, v in VECTORS["standard"][0].items()]  # ASGI style
        self.assertEqual(verify_webhook(OLD, pairs, BODY, now=TS).id, MSG_ID)
        msg = Message()  # http.server's self.headers is one of these
        for k, v in VECTORS["github"][0].items():
            msg[k] = v
        self.assertEqual(verify_webhook(OLD, msg, BODY, now=TS).id, MSG_ID)

    def test_body_as_str_bytearray_or_memoryview(self):
        for body in (BODY.decode("utf-8"), bytearray(BODY), memoryview(BODY)):
            with self.subTest(type=type(body).__name__):
                self.assertEqual(verify_webhook(OLD, VECTORS["standard"][0], body, now=TS).id, MSG_ID)

    def test_detect_scheme(self):
        for scheme in SCHEMES:
            self.assertEqual(detect_scheme(VECTORS[scheme][0]), scheme)
        self.assertIsNone(detect_scheme({"content-type": "application/json"}))

    def test_within_tolerance_passes_at_both_edges(self):
        for scheme in ("standard", "agentgateway", "callback"):
            with self.subTest(scheme=scheme):
                self.assertEqual(verify_webhook(OLD, VECTORS[scheme][0], BODY, now=TS + 300).id, MSG_ID)
                self.assertEqual(verify_webhook(OLD, VECTORS[scheme][0], BODY, now=TS - 300).id, MSG_ID)
                self.assertEqual(verify_webhook(OLD, VECTORS[scheme][0], BODY, now=TS + 3600, tolerance_seconds=3600).id, MSG_ID)

    def test_genuine_body_that_is_not_json_is_a_value_error(self):
        headers = sign("x-signature", OLD, b"not json")
        with self.assertRaises(ValueError) as cm:
            verify_webhook(OLD, headers, b"not json")
        self.assertNotIsInstance(cm.exception, WebhookVerificationError)

    def assertReason(self, reason, secret, headers, body, **kw):
        kw.setdefault("now", TS)
        with self.assertRaises(WebhookVerificationError) as cm:
            verify_webhook(secret, headers, body, **kw)
        self.assertEqual(cm.exception.reason, reason, str(cm.exception))
        # The message names the problem but never the secret.
        if isinstance(secret, str) and len(secret) > 6:
            self.assertNotIn(secret[6:], str(cm.exception))
        return cm.exception


class AttackTest(unittest.TestCase):
    assertReason = VectorTest.assertReason

    def test_tampered_body(self):
        tampered = BODY.replace(b"1999", b"9999")
        for scheme in SCHEMES:
            with self.subTest(scheme=scheme):
                self.assertReason("invalid_signature", OLD, VECTORS[scheme][0], tampered, scheme=scheme)
                # Re-serialised JSON (other spacing) is a different body too.
                self.assertReason("invalid_signature", OLD, VECTORS[scheme][0], BODY.replace(b'","', b'", "'), scheme=scheme)
                self.assertReason("invalid_signature", OLD, VECTORS[scheme][0], BODY + b"\n", scheme=scheme)

    def test_wrong_secret(self):
        for scheme in SCHEMES:
            with self.subTest(scheme=scheme):
                self.assertReason("invalid_signature", NEW, VECTORS[scheme][0], BODY, scheme=scheme)

    def test_standard_key_is_the_decoded_secret_not_the_string(self):
        # A signature keyed with the whole "whsec_…" string (the hex schemes' key) is wrong here.
        mac = hmac.new(OLD.encode(), f"{MSG_ID}.{TS}.".encode() + BODY, hashlib.sha256).digest()
        headers = dict(VECTORS["standard"][0], **{"webhook-signature": "v1," + base64.b64encode(mac).decode()})
        self.assertReason("invalid_signature", OLD, headers, BODY)

    def test_signed_id_and_timestamp_cannot_be_swapped(self):
        self.assertReason("invalid_signature", OLD, dict(VECTORS["standard"][0], **{"webhook-id": "evt_other"}), BODY)
        for scheme in ("standard", "agentgateway", "callback"):
            with self.subTest(scheme=scheme):
                moved = dict(VECTORS[scheme][0], **{TS_HEADER[scheme]: str(TS + 1)})
                self.assertReason("invalid_signature", OLD, moved, BODY, scheme=scheme)

    def test_old_timestamp(self):
        for scheme in ("standard", "agentgateway", "callback"):
            with self.subTest(scheme=scheme):
                old = sign(scheme, OLD, BODY, ts=TS - 301)
                self.assertReason("timestamp_too_old", OLD, old, BODY, scheme=scheme)
                self.assertReason("timestamp_too_old", OLD, VECTORS[scheme][0], BODY, scheme=scheme, now=TS + 10, tolerance_seconds=5)

    def test_future_timestamp(self):
        for scheme in ("standard", "agentgateway", "callback"):
            with self.subTest(scheme=scheme):
                self.assertReason("timestamp_in_future", OLD, sign(scheme, OLD, BODY, ts=TS + 301), BODY, scheme=scheme)

    def test_real_clock_refuses_a_2026_capture_replayed_much_later(self):
        # now=None uses time.time(); a signature from 1970 can never be fresh.
        self.assertReason("timestamp_too_old", OLD, sign("standard", OLD, BODY, ts=1000), BODY, now=None)

    def test_missing_headers(self):
        for scheme in SCHEMES:
            for name in [SIG_HEADER[scheme]] + ([TS_HEADER[scheme]] if scheme in TS_HEADER else []) + (["webhook-id"] if scheme == "standard" else []):
                headers = {k: v for k, v in VECTORS[scheme][0].items() if k.lower() != name.lower()}
                with self.subTest(scheme=scheme, without=name):
                    self.assertReason("missing_header", OLD, headers, BODY, scheme=scheme)
        self.assertReason("missing_header", OLD, {"content-type": "application/json"}, BODY)
        self.assertReason("missing_header", OLD, {}, BODY)
        self.assertReason("missing_header", OLD, dict(VECTORS["standard"][0], **{"webhook-signature": ""}), BODY, scheme="standard")

    def test_malformed_timestamps(self):
        for scheme in ("standard", "agentgateway", "callback"):
            for bad in ("abc", "-1772980200", "+1772980200", "1772980200.5", "1e9", "0x69adbb68", "1" * 16, "\u0661\u0662\u0663"):
                with self.subTest(scheme=scheme, ts=bad):
                    self.assertReason("malformed_header", OLD, dict(VECTORS[scheme][0], **{TS_HEADER[scheme]: bad}), BODY, scheme=scheme)

    def test_malformed_signatures(self):
        sig = VECTORS["x-signature"][0]["X-Signature"]
        cases = {
            "x-signature": [sig[:-1], sig + "0", "sha256=" + sig, sig[:-1] + "g", "", " "],
            "agentgateway": ["v1," + VECTORS["agentgateway"][0]["X-AgentGateway-Signature"], "zz"],
            "github": [sig, "sha1=" + sig, "sha256:" + sig, "sha256=" + sig[:-2]],
            "callback": [VECTORS["agentgateway"][0]["X-AgentGateway-Signature"], "sha256="],
        }
        for scheme, values in cases.items():
            for bad in values:
                headers = dict(VECTORS[scheme][0], **{SIG_HEADER[scheme]: bad})
                expected = "missing_header" if bad.strip() == "" else "malformed_header"
                with self.subTest(scheme=scheme, value=bad):
                    self.assertReason(expected, OLD, headers, BODY, scheme=scheme)

    def test_v1_prefix_games(self):
        good = VECTORS["standard"][0]["webhook-signature"]  # "v1,<b64>"
        b64 = good[3:]
        raw = base64.b64decode(b64)
        for bad, reason in [
            (b64, "malformed_header"),  # no version
            ("v1" + b64, "malformed_header"),  # no comma
            ("V1," + b64, "malformed_header"),  # the version is case-sensitive
            ("v2," + b64, "invalid_signature"),  # a well-formed entry of a version we do not check
            ("v1a," + b64, "invalid_signature"),  # asymmetric entries are not ours
            ("v1,", "malformed_header"),
            ("v1, v1,", "malformed_header"),
            ("v1,v1," + b64, "malformed_header"),  # a comma is not base64
            ("v1," + b64.rstrip("="), "invalid_signature"),  # padding matters: exact encoding only
            ("v1," + b64.swapcase(), "invalid_signature"),  # base64 is case-sensitive
            ("v1," + raw.hex(), "invalid_signature"),  # hex instead of base64
            ("v1," + base64.urlsafe_b64encode(raw).decode(), "malformed_header"),  # the url-safe alphabet is not the spec's
            ("v1," + b64 + "\u00e9", "malformed_header"),  # non-ASCII is not base64 (and must not crash)
            ("v1," + ("A" if b64[0] != "A" else "B") + b64[1:], "invalid_signature"),  # one character changed
            ("v1,bm90IGl0 v2," + b64, "invalid_signature"),
        ]:
            with self.subTest(value=bad):
                self.assertReason(reason, OLD, dict(VECTORS["standard"][0], **{"webhook-signature": bad}), BODY)
        # Extra unknown entries next to a good one are fine (the spec allows several).
        for ok in (good + " v2,abc", "v1a,xyz " + good, "v1,AAAA  " + good):
            with self.subTest(value=ok):
                self.assertEqual(verify_webhook(OLD, dict(VECTORS["standard"][0], **{"webhook-signature": ok}), BODY, now=TS).id, MSG_ID)

    def test_uppercase_hex_is_the_same_mac(self):
        # Hex is case-insensitive (as Hookline's own verifier and its docs' examples treat it):
        # upper case encodes the very same MAC, so it verifies; a changed digit still fails.
        for scheme in ("x-signature", "agentgateway", "github", "callback"):
            value = VECTORS[scheme][0][SIG_HEADER[scheme]]
            with self.subTest(scheme=scheme):
                self.assertEqual(verify_webhook(OLD, dict(VECTORS[scheme][0], **{SIG_HEADER[scheme]: value.upper()}), BODY, scheme=scheme, now=TS).id, MSG_ID)
                flipped = value[:-1] + ("0" if value[-1] != "0" else "1")
                self.assertReason("invalid_signature", OLD, dict(VECTORS[scheme][0], **{SIG_HEADER[scheme]: flipped.upper()}), BODY, scheme=scheme)

    def test_empty_or_bad_secret(self):
        for scheme in SCHEMES:
            for bad in ("", "   ", None, [], [""], [OLD, ""]):
                with self.subTest(scheme=scheme, secret=bad):
                    self.assertReason("invalid_secret", bad, VECTORS[scheme][0], BODY, scheme=scheme)
        # An empty key would let anyone sign: it must not verify a signature made with one.
        empty_key_sig = hmac.new(b"", BODY, hashlib.sha256).hexdigest()
        self.assertReason("invalid_secret", "", {"X-Signature": empty_key_sig}, BODY)
        for bad in ("whsec_", "whsec_not base64!", "whsec_AAA", "whsec_AB==", "whsec_" + "A" * 31 + "=="):
            with self.subTest(standard_secret=bad):
                self.assertReason("invalid_secret", bad, VECTORS["standard"][0], BODY)

    def test_unknown_scheme(self):
        for bad in ("Standard", "hmac", "svix", ""):
            with self.subTest(scheme=bad):
                self.assertReason("unknown_scheme", OLD, VECTORS["standard"][0], BODY, scheme=bad)

    def test_pinned_scheme_ignores_other_headers(self):
        # A request announcing x-signature does not satisfy a receiver pinned to standard.
        self.assertReason("missing_header", OLD, VECTORS["x-signature"][0], BODY, scheme="standard")
        # The x-signature and github MACs are equal: the pinned scheme's header must carry it.
        self.assertReason("missing_header", OLD, VECTORS["x-signature"][0], BODY, scheme="github")
        # An agentgateway signature moved into x-signature does not verify without a timestamp.
        moved = {"X-Signature": VECTORS["agentgateway"][0]["X-AgentGateway-Signature"]}
        self.assertReason("invalid_signature", OLD, moved, BODY, scheme="x-signature")

    def test_duplicate_headers_with_different_values(self):
        pairs = list(VECTORS["standard"][0].items()) + [("Webhook-Timestamp", str(TS + 1))]
        self.assertReason("malformed_header", OLD, pairs, BODY)
        msg = Message()
        for k, v in VECTORS["callback"][0].items():
            msg[k] = v
        msg["X-Timestamp"] = str(TS - 1)
        self.assertReason("malformed_header", OLD, msg, BODY)
        # The same value twice is harmless.
        same = list(VECTORS["standard"][0].items()) + [("webhook-id", MSG_ID)]
        self.assertEqual(verify_webhook(OLD, same, BODY, now=TS).id, MSG_ID)

    def test_body_must_be_raw(self):
        with self.assertRaises(TypeError):
            verify_webhook(OLD, VECTORS["standard"][0], {"id": MSG_ID}, now=TS)

    def test_negative_tolerance_is_refused(self):
        with self.assertRaises(ValueError):
            verify_webhook(OLD, VECTORS["standard"][0], BODY, now=TS, tolerance_seconds=-1)


if __name__ == "__main__":
    unittest.main()
