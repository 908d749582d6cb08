"""Crews, agents, runs, callbacks, notifications, schedules, triggers and post-actions
against a real Hookline (see _integration.py)."""

from __future__ import annotations

import unittest

from _integration import HOLD, IntegrationCase, uid, until
from hookline import HooklineApiError, verify_webhook


class AgentRunTest(IntegrationCase):
    def test_crew_and_agent_crud(self):
        crew, agent = self.make_agent(model="gpt-4")
        self.assertTrue(agent.webhook_secret.startswith("hltr_"))
        self.assertEqual(self.client.crews.get(crew.id).name, crew.name)
        self.assertIn(crew.id, [c.id for c in self.client.crews.list()["items"]])
        self.assertEqual(self.client.agents.get(agent.id).crew_id, crew.id)
        self.assertNotIn("webhook_secret", self.client.agents.get(agent.id))
        self.assertEqual([a.id for a in self.client.agents.iterate(crew_id=crew.id, limit=1)], [agent.id])
        self.assertEqual(self.client.agents.update(agent.id, description="updated", model=None).description, "updated")
        rotated = self.client.agents.rotate_webhook_secret(agent.id)
        self.assertNotEqual(rotated.webhook_secret, agent.webhook_secret)
        with self.assertRaises(HooklineApiError) as cm:
            self.client.crews.delete(crew.id)  # not empty
        self.assertGreaterEqual(cm.exception.status, 400)
        self.client.agents.delete(agent.id)
        with self.assertRaises(HooklineApiError) as cm:
            self.client.agents.get(agent.id)
        self.assertEqual(cm.exception.code, "not_found")
        self.client.crews.delete(crew.id)

    def test_run_with_wait_logs_and_lists(self):
        crew, agent = self.make_agent()
        run = self.client.runs.create(agent.id, "hello from python", wait=True)
        self.assertEqual(run.status, "completed")
        self.assertIn("echo: hello from python", run.output)
        self.assertEqual(run.trigger_type, "manual")
        self.assertEqual(self.client.runs.get(run.id).status, "completed")
        logs = self.client.runs.logs(run.id)
        self.assertIn("echo: hello from python", [line.line for line in logs["items"]])
        self.assertEqual(logs.run_status, "completed")
        self.assertEqual([r.id for r in self.client.agents.runs(agent.id)["items"]], [run.id])
        self.assertEqual([r.id for r in self.client.runs.iterate(crew_id=crew.id)], [run.id])

    def test_run_without_wait_and_cancel(self):
        _, agent = self.make_agent(command=HOLD)
        run = self.client.runs.create(agent.id, "hold on")
        self.assertIn(run.status, ("queued", "running"))
        until("the run to start", lambda: (lambda r: r if r.status == "running" else None)(self.client.runs.get(run.id)))
        self.client.runs.cancel(run.id)
        self.assertEqual(self.run_ended(run.id).status, "cancelled")

    def test_signed_trigger_url(self):
        crew, agent = self.make_agent()
        accepted = self.client.agents.trigger(crew.id, agent.id, {"event": "pr.opened", "n": 42}, agent.webhook_secret)
        self.assertEqual(accepted.status, "accepted")
        ended = self.run_ended(accepted.run_id)
        self.assertEqual((ended.status, ended.trigger_type), ("completed", "webhook"))
        self.assertIn('"n":42', ended.output)
        with self.assertRaises(HooklineApiError) as cm:
            self.client.agents.trigger(crew.id, agent.id, {"x": 1}, "hltr_wrong_secret_000000")
        self.assertEqual(cm.exception.status, 401)
        key = f"idem-{uid()}"
        first = self.client.agents.trigger(crew.id, agent.id, {"x": 1}, agent.webhook_secret, idempotency_key=key)
        second = self.client.agents.trigger(crew.id, agent.id, {"x": 1}, agent.webhook_secret, idempotency_key=key)
        self.assertEqual(first.run_id, second.run_id)

    def test_callback_is_signed_and_in_the_notification_log(self):
        _, agent = self.make_agent()
        path = f"/callback-{uid()}"
        cb = self.client.callbacks.set(agent.id, self.receiver.url + path, headers={"X-Custom": "v"})
        self.assertTrue(cb.secret.startswith("hlcb_"))
        self.assertEqual(self.client.callbacks.get(agent.id).url, self.receiver.url + path)
        self.assertNotIn("secret", self.client.callbacks.get(agent.id))

        run = self.client.runs.create(agent.id, "call me back", wait=True)
        [req] = self.receiver.wait_for(path)
        payload = verify_webhook(cb.secret, req.headers, req.body, scheme="callback")
        self.assertEqual(verify_webhook(cb.secret, req.headers, req.body), payload)  # detected as callback
        self.assertEqual((payload.execution_id, payload.status, payload.agent_loop_id), (run.id, "completed", agent.id))
        self.assertEqual(req.headers["X-Custom"], "v")

        items = until("the callback notification to settle", lambda: (lambda p: p["items"] if p["items"] and p["items"][0].status == "delivered" else None)(
            self.client.notifications.list(execution_id=run.id, channel="callback")))
        self.assertEqual(len(items), 1)
        note = self.client.notifications.get(items[0].id)
        self.assertEqual((note.agent_id, note.channel, note.event_type), (agent.id, "callback", "on_complete"))
        self.assertIn(note.id, [n.id for n in self.client.notifications.iterate(agent_id=agent.id, limit=1)])

        self.client.notifications.retry(note.id)
        reqs = self.receiver.wait_for(path, 2)
        self.assertEqual(reqs[0].body, reqs[1].body)
        self.assertEqual(verify_webhook(cb.secret, reqs[1].headers, reqs[1].body).execution_id, run.id)

        new_secret = self.client.callbacks.rotate_secret(agent.id).secret
        self.assertNotEqual(new_secret, cb.secret)
        self.client.callbacks.delete(agent.id)
        with self.assertRaises(HooklineApiError) as cm:
            self.client.callbacks.get(agent.id)
        self.assertEqual(cm.exception.status, 404)


class TriggerAndPostActionTest(IntegrationCase):
    def test_schedules(self):
        _, agent = self.make_agent()
        sched = self.client.schedules.create(agent.id, "nightly", "0 3 * * *", timezone="Europe/Berlin", prompt="report")
        self.assertEqual(len(sched.next_runs), 3)
        self.assertEqual(self.client.schedules.get(sched.id).cron, "0 3 * * *")
        self.assertFalse(self.client.schedules.update(sched.id, enabled=False).enabled)
        self.assertEqual([s.id for s in self.client.schedules.iterate(agent_id=agent.id)], [sched.id])
        self.assertEqual([s.id for s in self.client.agents.schedules(agent.id)["items"]], [sched.id])
        started = self.client.schedules.run(sched.id)
        self.assertEqual(self.run_ended(started.id).status, "completed")
        self.client.schedules.delete(sched.id)
        with self.assertRaises(HooklineApiError) as cm:
            self.client.schedules.get(sched.id)
        self.assertEqual(cm.exception.code, "not_found")
        with self.assertRaises(HooklineApiError) as cm:
            self.client.schedules.create(agent.id, "bad", "not a cron")
        self.assertEqual(cm.exception.status, 422)

    def test_named_webhook_triggers(self):
        crew, agent = self.make_agent()
        trig = self.client.webhook_triggers.create(agent.id, "inbound", prompt_template="Triage this.")
        self.assertEqual(trig.url, f"/api/v1/webhooks/{crew.id}/{agent.id}/inbound")
        self.assertEqual([t.id for t in self.client.webhook_triggers.list(agent_id=agent.id)["items"]], [trig.id])
        self.assertFalse(self.client.webhook_triggers.update(trig.id, enabled=False).enabled)
        self.client.webhook_triggers.update(trig.id, enabled=True)
        secret = self.client.webhook_triggers.rotate_secret(trig.id).secret
        self.assertNotEqual(secret, trig.secret)
        accepted = self.client.agents.trigger(crew.id, agent.id, {"alert": "disk"}, secret, name="inbound")
        ended = self.run_ended(accepted.run_id)
        self.assertEqual((ended.status, ended.trigger_name), ("completed", "inbound"))
        self.assertIn("Triage this.", ended.output)
        self.client.webhook_triggers.delete(trig.id)
        with self.assertRaises(HooklineApiError) as cm:
            self.client.webhook_triggers.get(trig.id)
        self.assertEqual(cm.exception.status, 404)

    def test_post_actions_and_bindings(self):
        _, agent = self.make_agent()
        path = f"/post-action-{uid()}"
        pa = self.client.post_actions.create(
            name=f"notify {uid()}", method="POST", url=self.receiver.url + path,
            body_template='{"run": "{{run_id}}", "status": "{{status}}"}', auth={"type": "bearer", "token": "t0ken"},
        )
        self.assertEqual(pa.auth, {"type": "bearer"})
        self.assertEqual(self.client.post_actions.get(pa.id).url, self.receiver.url + path)
        self.assertEqual(self.client.post_actions.update(pa.id, retry_count=0).retry_count, 0)
        self.assertIn(pa.id, [p.id for p in self.client.post_actions.iterate()])

        binding = self.client.post_actions.bindings.create(pa.id, "webhook", agent.id, fire_when="success")
        self.assertEqual(self.client.post_actions.bindings.get(pa.id, binding.id).fire_when, "success")
        self.assertEqual([b.id for b in self.client.post_actions.bindings.list(pa.id)["items"]], [binding.id])
        self.assertEqual([b.post_action.id for b in self.client.post_actions.bindings.of_trigger("webhook", agent.id)["items"]], [pa.id])
        self.assertEqual(self.client.post_actions.bindings.update(pa.id, binding.id, fire_when="any").fire_when, "any")

        preview = self.client.post_actions.preview(url=self.receiver.url + "/{{agent_id}}", body_template='{"s": "{{status}}"}')
        self.assertEqual(preview.errors, [])
        with self.assertRaises(HooklineApiError) as cm:
            self.client.post_actions.update(pa.id, timeout_seconds=1000)
        self.assertEqual(cm.exception.code, "out_of_range")

        self.client.post_actions.bindings.delete(pa.id, binding.id)
        self.assertEqual(self.client.post_actions.bindings.list(pa.id)["total"], 0)
        self.client.post_actions.delete(pa.id)
        with self.assertRaises(HooklineApiError) as cm:
            self.client.post_actions.get(pa.id)
        self.assertEqual(cm.exception.status, 404)


if __name__ == "__main__":
    unittest.main()
