"""Endpoints, events, deliveries and signatures against a real Hookline (see _integration.py)."""

from __future__ import annotations

import datetime as dt
import unittest

from _integration import KEY, URL, IntegrationCase, uid, until
from hookline import Hookline, HooklineApiError, WebhookVerificationError, verify_webhook


class EndpointTest(IntegrationCase):
    def test_seed_001_python_example_as_written(self):
        client = Hookline(api_key=KEY, base_url=URL)
        endpoint = client.webhook_endpoints.create(
            url="https://your-app.com/webhooks/agentpost",
            events=["message.received", "message.bounced"],
            description="Production webhook receiver",
        )
        self.addCleanup(self._delete_endpoint, endpoint.id)
        self.assertTrue(endpoint.secret.startswith("whsec_"))
        self.assertEqual(endpoint.events, ["message.received", "message.bounced"])
        self.assertNotIn("secret", client.webhook_endpoints.get(endpoint.id))

    def test_crud_publish_and_verify(self):
        ep, path, ns = self.endpoint()
        self.assertEqual(ep.signing_scheme, "standard")
        self.assertEqual(self.client.webhook_endpoints.get(ep.id).url, self.receiver.url + path)
        updated = self.client.webhook_endpoints.update(ep.id, description="renamed", timeout_seconds=10)
        self.assertEqual((updated.description, updated.timeout_seconds), ("renamed", 10))
        self.assertIn(ep.id, [e.id for e in self.client.webhook_endpoints.iterate()])

        published = self.client.events.publish(f"{ns}.created", {"n": 1, "text": "caf\u00e9"})
        self.assertEqual((published.duplicate, published.deliveries), (False, 1))
        [req] = self.receiver.wait_for(path)
        event = verify_webhook(ep.secret, req.headers, req.body)
        self.assertEqual(event.id, published.event.id)
        self.assertEqual(event.data, {"n": 1, "text": "caf\u00e9"})
        self.assertEqual(event, self.client.events.get(published.event.id))
        self.assertEqual(req.headers["webhook-id"], event.id)
        with self.assertRaises(WebhookVerificationError) as cm:
            verify_webhook(ep.secret, req.headers, req.body.replace(b'"n":1', b'"n":2'))
        self.assertEqual(cm.exception.reason, "invalid_signature")

        again = self.client.events.publish(f"{ns}.created", {"n": 1}, id=f"order-{uid()}")
        dup = self.client.events.publish(f"{ns}.created", {"n": 2}, id=again.event.id)
        self.assertEqual((dup.duplicate, dup.deliveries, dup.event.data), (True, 0, {"n": 1}))

        off = self.client.webhook_endpoints.disable(ep.id)
        self.assertEqual((off.enabled, off.disabled_reason), (False, "disabled by the API"))
        self.assertEqual(self.client.events.publish(f"{ns}.created", {}).deliveries, 0)
        with self.assertRaises(HooklineApiError) as cm:
            self.client.webhook_endpoints.send_test(ep.id)
        self.assertEqual((cm.exception.status, cm.exception.code), (409, "endpoint_disabled"))
        self.assertTrue(self.client.webhook_endpoints.enable(ep.id).enabled)

        self.client.webhook_endpoints.delete(ep.id)
        with self.assertRaises(HooklineApiError) as cm:
            self.client.webhook_endpoints.get(ep.id)
        self.assertEqual((cm.exception.status, cm.exception.code), (404, "not_found"))

    def test_every_scheme_signs_what_verify_webhook_accepts(self):
        for scheme in ("standard", "x-signature", "agentgateway", "github"):
            with self.subTest(scheme=scheme):
                ep, path, _ = self.endpoint(scheme)
                sent = self.client.webhook_endpoints.send_test(ep.id)
                [req] = self.receiver.wait_for(path)
                self.assertEqual(verify_webhook(ep.secret, req.headers, req.body).id, sent.event_id)
                event = verify_webhook(ep.secret, req.headers, req.body, scheme=scheme)
                self.assertEqual((event.type, event.data.endpoint_id), ("webhook.test", ep.id))
                other, _, _ = self.endpoint(scheme)
                with self.assertRaises(WebhookVerificationError) as cm:
                    verify_webhook(other.secret, req.headers, req.body, scheme=scheme)
                self.assertEqual(cm.exception.reason, "invalid_signature")

    def test_rotation_signs_with_both_secrets(self):
        for scheme in ("standard", "x-signature", "agentgateway", "github"):
            with self.subTest(scheme=scheme):
                ep, path, _ = self.endpoint(scheme)
                rotated = self.client.webhook_endpoints.rotate_secret(ep.id, grace_period_seconds=3600)
                self.assertNotEqual(rotated.secret, ep.secret)
                self.assertIsNotNone(rotated.secret_rotation_ends_at)
                self.client.webhook_endpoints.send_test(ep.id)
                [req] = self.receiver.wait_for(path)
                if scheme != "standard":
                    self.assertIn("x-hookline-next-signature", {k.lower() for k in req.headers.keys()})
                for secret in (ep.secret, rotated.secret):
                    self.assertEqual(verify_webhook(secret, req.headers, req.body, scheme=scheme).type, "webhook.test")

    def test_replay(self):
        ep, path, ns = self.endpoint()
        since = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=5)
        first = self.client.events.publish(f"{ns}.paid", {"i": 1})
        self.receiver.wait_for(path)
        self.assertEqual(self.client.webhook_endpoints.replay(ep.id, since=since).enqueued, 1)
        reqs = self.receiver.wait_for(path, 2)
        self.assertEqual(reqs[0].body, reqs[1].body)
        self.assertEqual(verify_webhook(ep.secret, reqs[1].headers, reqs[1].body).id, first.event.id)


class DeliveryTest(IntegrationCase):
    def test_failed_delivery_is_listed_and_retried(self):
        ep, path, ns = self.endpoint(retry_schedule=[])
        self.receiver.status[path] = 500
        self.client.events.publish(f"{ns}.failed", {"try": 1})
        failed = until("the delivery to fail", lambda: (lambda p: p["items"] or None)(self.client.deliveries.list(endpoint_id=ep.id, status="failed")))
        self.assertEqual(len(failed), 1)
        detail = self.client.deliveries.get(failed[0].id)
        self.assertEqual((detail.attempts, detail.last_status_code, detail.last_error), (1, 500, "HTTP 500"))
        self.assertEqual(detail.history[0].status_code, 500)
        self.assertEqual(detail.history[0].response_body, "receiver says no")

        self.receiver.status[path] = 200
        queued = self.client.deliveries.retry(failed[0].id)
        self.assertEqual(queued.id, failed[0].id)
        done = until("the retried delivery", lambda: (lambda d: d if d.status == "delivered" else None)(self.client.deliveries.get(failed[0].id)))
        self.assertEqual((done.attempts, done.last_status_code), (2, 200))
        reqs = self.receiver.wait_for(path, 2)
        self.assertEqual(reqs[0].body, reqs[1].body)
        for req in reqs:
            self.assertEqual(verify_webhook(ep.secret, req.headers, req.body).data, {"try": 1})

    def test_iterate_walks_more_than_one_page(self):
        ep, path, ns = self.endpoint()
        ids = {self.client.events.publish(f"{ns}.n", {"i": i}).event.id for i in range(5)}
        self.receiver.wait_for(path, 5)
        page = self.client.deliveries.list(endpoint_id=ep.id, limit=2)
        self.assertEqual((page["total"], page["limit"], page["offset"], len(page["items"])), (5, 2, 0, 2))
        walked = list(self.client.deliveries.iterate(endpoint_id=ep.id, limit=2))
        self.assertEqual(len(walked), 5)
        self.assertEqual({d.event_id for d in walked}, ids)
        self.assertEqual(len({d.id for d in walked}), 5)
        tail = list(self.client.deliveries.iterate(endpoint_id=ep.id, limit=2, offset=3))
        self.assertEqual([d.id for d in tail], [d.id for d in walked[3:]])


class ErrorTest(IntegrationCase):
    def test_api_error_codes(self):
        cases = [
            (lambda: self.client.webhook_endpoints.get("ep_does_not_exist"), 404, "not_found"),
            (lambda: self.client.deliveries.retry("dlv_does_not_exist"), 404, "not_found"),
            (lambda: self.client.runs.get("run_does_not_exist"), 404, "not_found"),
            (lambda: self.client.webhook_endpoints.create(url=self.receiver.url, events=[]), 422, "validation_failed"),
            (lambda: self.client.webhook_endpoints.create(url="ftp://example.com/x", events=["*"]), 422, "invalid_url"),
            (lambda: self.client.webhook_endpoints.create(url="http://10.1.2.3/x", events=["*"]), 422, "ssrf_blocked"),
            (lambda: self.client.events.publish("run.completed", {}), 422, "invalid_event_type"),
            (lambda: self.client.deliveries.list(status="lost"), 422, "validation_failed"),
        ]
        for call, status, code in cases:
            with self.subTest(code=code, status=status):
                with self.assertRaises(HooklineApiError) as cm:
                    call()
                self.assertEqual((cm.exception.status, cm.exception.code), (status, code), cm.exception.message)
                self.assertTrue(cm.exception.message)
        with self.assertRaises(HooklineApiError) as cm:
            self.client.webhook_endpoints.create(url=self.receiver.url, events=[])
        self.assertTrue(cm.exception.details)

    def test_keys_roles_and_revocation(self):
        created = self.client.keys.create(f"sdk-read-{uid()}", role="read")
        self.assertTrue(created.key.startswith("hl_sk_"))
        self.assertEqual(created.role, "read")
        listed = {k.id: k for k in self.client.keys.list()["items"]}
        self.assertNotIn("key", listed[created.id])
        reader = Hookline(api_key=created.key, base_url=self.client.base_url)
        self.assertIn("items", reader.webhook_endpoints.list(limit=1))
        with self.assertRaises(HooklineApiError) as cm:
            reader.events.publish("sdk.read-only", {})
        self.assertEqual((cm.exception.status, cm.exception.code), (403, "forbidden"))
        self.client.keys.revoke(created.id)
        with self.assertRaises(HooklineApiError) as cm:
            reader.webhook_endpoints.list()
        self.assertEqual((cm.exception.status, cm.exception.code), (401, "unauthorized"))


if __name__ == "__main__":
    unittest.main()
