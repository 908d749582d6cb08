"""The client's HTTP behaviour against a scripted HTTP server on 127.0.0.1: request shape,
errors, retries, timeouts, redirects. These are the failures a healthy Hookline does not
produce on demand; the integration tests cover the real API."""

from __future__ import annotations

import json
import os
import socket
import threading
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock

import _support  # noqa: F401  (puts this checkout's hookline on sys.path)
from hookline import Hookline, HooklineApiError, HooklineConnectionError, HooklineError, HooklineObject, HooklineTimeoutError

KEY = "hl_sk_offline_test_key_0123456789"


class ScriptedServer:
    """Answers each request with the next scripted (status, headers, body); records requests."""

    def __init__(self):
        self.script = []
        self.requests = []
        self.release = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self):
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                outer.requests.append({"method": self.command, "path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body})
                status, headers, payload = outer.script.pop(0) if outer.script else (200, {}, {"ok": True})
                if status == "hang":
                    outer.release.wait(30)
                    return
                data = payload if isinstance(payload, bytes) else (b"" if payload is None else json.dumps(payload).encode())
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                if data:
                    self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()

    def close(self):
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def error(status, code, message="m", **extra):
    return (status, extra.pop("headers", {}), {"error": {"code": code, "message": message, **extra}})


class ClientTestCase(unittest.TestCase):
    def setUp(self):
        self.server = ScriptedServer()
        self.addCleanup(self.server.close)
        self.sleeps = []
        self.client = self.make_client()

    def make_client(self, **kw):
        client = Hookline(api_key=KEY, base_url=self.server.url, **kw)
        # The one seam: backoff pauses are recorded instead of slept.
        client._transport._sleep = self.sleeps.append
        return client


class RequestShapeTest(ClientTestCase):
    def test_sends_key_json_and_query(self):
        self.server.script = [(201, {}, {"id": "ep_1", "secret": "whsec_abc"})]
        ep = self.client.webhook_endpoints.create(url="https://example.com/h", events=["a.*"], description="d")
        self.assertEqual(ep.secret, "whsec_abc")
        self.assertEqual(ep["id"], "ep_1")
        req = self.server.requests[0]
        self.assertEqual((req["method"], req["path"]), ("POST", "/api/v1/webhooks/endpoints"))
        self.assertEqual(req["headers"]["authorization"], f"Bearer {KEY}")
        self.assertEqual(req["headers"]["content-type"], "application/json")
        self.assertTrue(req["headers"]["user-agent"].startswith("hookline-python/"))
        self.assertEqual(json.loads(req["body"]), {"url": "https://example.com/h", "events": ["a.*"], "description": "d"})

    def test_query_bools_none_and_ids_are_encoded(self):
        self.server.script = [(200, {}, {"items": [], "total": 0, "limit": 5, "offset": 0}), (200, {}, {"id": "x"})]
        self.client.deliveries.list(status="failed", endpoint_id=None, limit=5)
        self.client.runs.get("../keys/a b")
        self.assertEqual(self.server.requests[0]["path"], "/api/v1/deliveries?status=failed&limit=5")
        self.assertEqual(self.server.requests[1]["path"], "/api/v1/runs/..%2Fkeys%2Fa%20b")

    def test_action_posts_send_an_empty_object_and_wait_sets_the_query(self):
        self.server.script = [(200, {}, {"id": "run_1", "status": "cancelled"}), (200, {}, {"id": "run_2", "status": "completed"})]
        self.client.runs.cancel("run_1")
        self.client.runs.create("agent-1", "hi", wait=True, wait_seconds=5)
        self.assertEqual(self.server.requests[0]["body"], b"{}")
        self.assertEqual(self.server.requests[1]["path"], "/api/v1/agents/agent-1/runs?wait=true&wait_seconds=5")
        self.assertEqual(json.loads(self.server.requests[1]["body"]), {"prompt": "hi"})

    def test_portal_session_sends_only_the_given_fields(self):
        self.server.script = [(201, {}, {"url": "http://h/portal/?org=org_1#token=hl_ps_x", "token": "hl_ps_x", "expires_at": "2026-06-01T01:00:00.000Z"})]
        link = self.client.portal.create_session("org_1", "env_1", event_types=["order.*"], ttl="2h")
        self.assertEqual(link.token, "hl_ps_x")
        req = self.server.requests[0]
        self.assertEqual((req["method"], req["path"]), ("POST", "/api/v1/portal/sessions"))
        self.assertEqual(json.loads(req["body"]), {"org_id": "org_1", "env_id": "env_1", "event_types": ["order.*"], "ttl": "2h"})

    def test_204_is_none(self):
        self.server.script = [(204, {}, None)]
        self.assertIsNone(self.client.webhook_endpoints.delete("ep_1"))
        self.assertEqual(self.server.requests[0]["method"], "DELETE")

    def test_nested_objects_have_attribute_access(self):
        self.server.script = [(200, {}, {"items": [{"id": "d1", "event": {"data": {"n": 1}}}], "total": 1, "limit": 50, "offset": 0})]
        page = self.client.deliveries.list()
        self.assertIsInstance(page, dict)
        self.assertIsInstance(page["items"][0], HooklineObject)
        self.assertEqual(page["items"][0].event.data.n, 1)
        with self.assertRaises(AttributeError):
            page["items"][0].missing
        self.assertEqual(json.loads(json.dumps(page))["total"], 1)

    def test_iterate_walks_every_page(self):
        rows = [{"id": f"ep_{i}"} for i in range(5)]
        self.server.script = [(200, {}, {"items": rows[o:o + 2], "total": 5, "limit": 2, "offset": o}) for o in (0, 2, 4)]
        self.assertEqual([r.id for r in self.client.webhook_endpoints.iterate(limit=2)], [r["id"] for r in rows])
        self.assertEqual([r["path"] for r in self.server.requests], [f"/api/v1/webhooks/endpoints?limit=2&offset={o}" for o in (0, 2, 4)])

    def test_base_url_and_key_from_the_environment(self):
        with mock.patch.dict(os.environ, {"HOOKLINE_API_KEY": "hl_sk_from_env", "HOOKLINE_URL": self.server.url + "/api/v1/"}):
            client = Hookline()
        self.assertEqual(client.base_url, self.server.url)
        client.events.get("evt_1")
        self.assertEqual(self.server.requests[0]["headers"]["authorization"], "Bearer hl_sk_from_env")
        self.assertEqual(self.server.requests[0]["path"], "/api/v1/events/evt_1")
        with mock.patch.dict(os.environ, {}, clear=True):
            self.assertEqual(Hookline(api_key="k").base_url, "http://127.0.0.1:8787")
            with self.assertRaises(ValueError):
                Hookline()
        self.assertNotIn(KEY, repr(self.client))
        self.assertNotIn(KEY, repr(self.client._transport))


class TenantTest(ClientTestCase):
    """The tenant a client acts in travels as Hookline-Org / Hookline-Env (docs/tenants.md)."""

    def tenant_headers(self, i):
        h = self.server.requests[i]["headers"]
        return (h.get("hookline-org"), h.get("hookline-env"))

    def test_org_and_env_are_sent_on_every_call_and_with_tenant_names_another(self):
        client = self.make_client(org="org_a", env="env_a")
        client.keys.list()
        client.orgs.envs.create("org_a", "staging")
        self.assertEqual([self.tenant_headers(0), self.tenant_headers(1)], [("org_a", "env_a")] * 2)
        self.assertEqual(json.loads(self.server.requests[1]["body"]), {"name": "staging"})
        other = client.with_tenant(env="env_b")
        self.assertEqual((other.org, other.env, other.base_url), (None, "env_b", client.base_url))
        other.keys.list()
        client.with_tenant().keys.list()
        self.client.keys.list()
        self.assertEqual([self.tenant_headers(i) for i in (2, 3, 4)], [(None, "env_b"), (None, None), (None, None)])
        self.assertIn("env='env_b'", repr(other))

    def test_with_tenant_keeps_the_key_server_and_retries(self):
        self.server.script = [(503, {}, {}), (200, {}, {"items": []})]
        other = self.make_client(max_retries=1, timeout=7).with_tenant(org="org_b")
        other.orgs.list()
        self.assertEqual(len(self.server.requests), 2)  # retried once, as its parent would
        self.assertEqual(len(self.sleeps), 1)  # with the parent's (recording) sleep
        self.assertEqual(other._transport.timeout, 7)
        self.assertEqual(self.server.requests[1]["headers"]["authorization"], f"Bearer {KEY}")
        self.assertEqual(self.tenant_headers(1), ("org_b", None))

    def test_tenant_from_the_environment_and_empty_names_none(self):
        with mock.patch.dict(os.environ, {"HOOKLINE_ORG": "org_env", "HOOKLINE_ENV": "env_env"}):
            from_env = self.make_client()
            explicit = self.make_client(org="", env="env_x")
        from_env.orgs.list()
        explicit.orgs.list()
        self.assertEqual([self.tenant_headers(0), self.tenant_headers(1)], [("org_env", "env_env"), (None, "env_x")])

    def test_deletes_send_the_id_as_confirmation_only_when_asked(self):
        self.server.script = [(204, {}, None)] * 4
        self.client.orgs.delete("org_1")
        self.client.orgs.delete("org_1", confirm=True)
        self.client.orgs.envs.delete("org_1", "env_2")
        self.client.orgs.envs.delete("org_1", "env_2", confirm=True)
        self.assertEqual(
            [(r["method"], r["path"]) for r in self.server.requests],
            [
                ("DELETE", "/api/v1/orgs/org_1"),
                ("DELETE", "/api/v1/orgs/org_1?confirm=org_1"),
                ("DELETE", "/api/v1/orgs/org_1/envs/env_2"),
                ("DELETE", "/api/v1/orgs/org_1/envs/env_2?confirm=env_2"),
            ],
        )

    def test_scoped_keys_orgs_and_portal_sessions_send_what_the_api_takes(self):
        self.server.script = [(201, {}, {"id": "key_1", "key": "hl_sk_x"}), (201, {}, {"id": "org_1"}), (200, {}, {"id": "org_1"}), (201, {}, {"url": "u", "token": "hl_ps_x", "expires_at": "t"})]
        self.client.keys.create("ci", role="read", org_id="org_1", env_id="env_1")
        self.client.orgs.create("Acme", env_name="live", settings={"quotas": {"endpoints": 2}})
        self.client.orgs.update("org_1", name="Acme Inc")
        session = self.client.portal.create_session("org_1", "env_1", event_types=["order.*"], read_only=True, ttl="30m")
        self.assertEqual(session.token, "hl_ps_x")
        sent = [(r["method"], r["path"], json.loads(r["body"])) for r in self.server.requests]
        self.assertEqual(
            sent,
            [
                ("POST", "/api/v1/keys", {"name": "ci", "role": "read", "org_id": "org_1", "env_id": "env_1"}),
                ("POST", "/api/v1/orgs", {"name": "Acme", "env_name": "live", "settings": {"quotas": {"endpoints": 2}}}),
                ("PATCH", "/api/v1/orgs/org_1", {"name": "Acme Inc"}),
                ("POST", "/api/v1/portal/sessions", {"org_id": "org_1", "env_id": "env_1", "event_types": ["order.*"], "read_only": True, "ttl": "30m"}),
            ],
        )


class ErrorTest(ClientTestCase):
    def test_api_error_fields(self):
        self.server.script = [error(422, "validation_failed", "events is required", details=["body must have property events"])]
        with self.assertRaises(HooklineApiError) as cm:
            self.client.webhook_endpoints.create(url="https://example.com", events=[])
        e = cm.exception
        self.assertEqual((e.status, e.code, e.message), (422, "validation_failed", "events is required"))
        self.assertEqual(e.details, ["body must have property events"])
        self.assertIsInstance(e, HooklineError)
        self.assertIn("validation_failed", str(e))

    def test_non_hookline_error_body(self):
        self.server.script = [(502, {}, b"<html>bad gateway</html>")]
        with self.assertRaises(HooklineApiError) as cm:
            self.client.events.publish("a.b", {"x": 1})
        self.assertEqual((cm.exception.status, cm.exception.code), (502, "http_error"))
        self.assertIn("bad gateway", cm.exception.message)
        self.assertEqual(len(self.server.requests), 1)  # a POST without an id is not retried

    def test_redirect_is_not_followed(self):
        target = ScriptedServer()
        self.addCleanup(target.close)
        self.server.script = [(302, {"Location": target.url + "/steal"}, None)]
        with self.assertRaises(HooklineApiError) as cm:
            self.client.webhook_endpoints.list()
        self.assertEqual((cm.exception.status, cm.exception.code), (302, "redirect"))
        self.assertEqual(target.requests, [])

    def test_connection_refused(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        client = Hookline(api_key=KEY, base_url=f"http://127.0.0.1:{port}", max_retries=2)
        client._transport._sleep = self.sleeps.append
        with self.assertRaises(HooklineConnectionError) as cm:
            client.deliveries.get("dlv_1")
        self.assertNotIsInstance(cm.exception, HooklineTimeoutError)
        self.assertEqual(len(self.sleeps), 2)  # three attempts
        self.assertNotIn(KEY, str(cm.exception))

    def test_timeout(self):
        self.server.script = [("hang", {}, None)]
        client = self.make_client(timeout=0.3, max_retries=0)
        with self.assertRaises(HooklineTimeoutError) as cm:
            client.webhook_endpoints.get("ep_1")
        self.assertIsInstance(cm.exception, HooklineConnectionError)


class RetryTest(ClientTestCase):
    def test_get_retries_503_and_429_honouring_retry_after(self):
        self.server.script = [error(503, "unavailable", headers={"Retry-After": "0"}), error(429, "rate_limited", headers={"Retry-After": "1"}), (200, {}, {"id": "ep_1"})]
        self.assertEqual(self.client.webhook_endpoints.get("ep_1").id, "ep_1")
        self.assertEqual(len(self.server.requests), 3)
        self.assertEqual(self.sleeps, [0.0, 1.0])

    def test_backoff_grows_without_retry_after(self):
        self.server.script = [error(502, "bad_gateway"), error(504, "gateway_timeout"), (200, {}, {"items": []})]
        self.client.keys.list()
        self.assertEqual(len(self.sleeps), 2)
        self.assertTrue(0.25 <= self.sleeps[0] <= 0.5, self.sleeps)
        self.assertTrue(0.5 <= self.sleeps[1] <= 1.0, self.sleeps)

    def test_gives_up_after_max_retries(self):
        self.server.script = [error(503, "unavailable", headers={"Retry-After": "0"})] * 3
        client = self.make_client(max_retries=1)
        with self.assertRaises(HooklineApiError) as cm:
            client.runs.list()
        self.assertEqual(cm.exception.status, 503)
        self.assertEqual(len(self.server.requests), 2)

    def test_non_idempotent_post_is_not_retried(self):
        self.server.script = [error(503, "unavailable", headers={"Retry-After": "0"})]
        with self.assertRaises(HooklineApiError):
            self.client.runs.create("agent-1", "x")
        self.assertEqual(len(self.server.requests), 1)

    def test_publish_with_an_id_is_retried(self):
        self.server.script = [error(503, "unavailable", headers={"Retry-After": "0"}), (202, {}, {"duplicate": False, "deliveries": 1, "event": {"id": "order-1"}})]
        self.assertEqual(self.client.events.publish("order.created", {"n": 1}, id="order-1").event.id, "order-1")
        self.assertEqual(len(self.server.requests), 2)
        self.assertEqual(self.server.requests[0]["body"], self.server.requests[1]["body"])

    def test_other_4xx_and_long_retry_after_are_not_retried(self):
        self.server.script = [error(404, "not_found")]
        with self.assertRaises(HooklineApiError):
            self.client.webhook_endpoints.get("ep_x")
        self.server.script = [error(429, "rate_limited", headers={"Retry-After": "3600"})]
        with self.assertRaises(HooklineApiError) as cm:
            self.client.webhook_endpoints.get("ep_x")
        self.assertEqual(cm.exception.headers.get("retry-after"), "3600")
        self.assertEqual(len(self.server.requests), 2)
        self.assertEqual(self.sleeps, [])


if __name__ == "__main__":
    unittest.main()
