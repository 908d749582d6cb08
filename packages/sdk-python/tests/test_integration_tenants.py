"""Orgs, environments, keys limited to a tenant, and the tenant a client acts in, against a
real Hookline (see _integration.py)."""

from __future__ import annotations

from _integration import KEY, URL, IntegrationCase, uid
from hookline import Hookline, HooklineApiError


class TenantTest(IntegrationCase):
    def assert_status(self, status, call, *args, **kwargs):
        with self.assertRaises(HooklineApiError) as cm:
            call(*args, **kwargs)
        self.assertEqual(cm.exception.status, status, f"{call.__qualname__}{args}")
        return cm.exception

    def test_orgs_and_environments_lifecycle(self):
        org = self.client.orgs.create(f"Acme {uid()}", env_name="live")
        self.assertTrue(org.id.startswith("org_"))
        self.assertEqual([(e.name, e.default) for e in org.envs], [("live", True)])
        self.assertIn(org.id, [o.id for o in self.client.orgs.list()["items"]])
        self.assertEqual(self.client.orgs.get(org.id).settings, {})
        settings = {"quotas": {"endpoints": 3}, "brand": {"color": "#123456"}}
        updated = self.client.orgs.update(org.id, name="Acme Inc", settings=settings)
        self.assertEqual((updated.name, updated.settings), ("Acme Inc", settings))

        staging = self.client.orgs.envs.create(org.id, "staging")
        self.assertEqual((staging.org_id, staging.name, staging.default), (org.id, "staging", False))
        self.assertEqual([e.name for e in self.client.orgs.envs.list(org.id)["items"]], ["live", "staging"])
        self.assertEqual(self.client.orgs.envs.get(org.id, staging.id).name, "staging")
        self.assertEqual(self.assert_status(409, self.client.orgs.envs.create, org.id, "staging").code, "conflict")
        self.client.orgs.envs.delete(org.id, staging.id)
        self.assert_status(404, self.client.orgs.envs.get, org.id, staging.id)
        self.assertEqual(self.assert_status(409, self.client.orgs.envs.delete, org.id, org.envs[0].id).code, "default_tenant")

        self.client.orgs.delete(org.id, confirm=True)
        self.assert_status(404, self.client.orgs.get, org.id)
        self.assertEqual(self.assert_status(409, self.client.orgs.delete, "org_default").code, "default_tenant")

    def test_scoped_keys_see_only_their_own_tenant(self):
        a = self.client.orgs.create(f"Tenant A {uid()}")
        b = self.client.orgs.create(f"Tenant B {uid()}")
        a_env, b_env = a.envs[0].id, b.envs[0].id
        a_key = self.client.keys.create("a env", org_id=a.id, env_id=a_env)
        self.assertEqual((a_key.org_id, a_key.env_id, a_key.role), (a.id, a_env, "admin"))
        b_key = self.client.keys.create("b org", role="read", org_id=b.id)
        self.assertEqual((b_key.org_id, b_key.env_id), (b.id, None))

        as_b = Hookline(api_key=b_key.key, base_url=URL)
        self.assertEqual([o.id for o in as_b.orgs.list()["items"]], [b.id])
        self.assertEqual([e.id for e in as_b.orgs.envs.list(b.id)["items"]], [b_env])
        self.assertEqual([k.id for k in as_b.keys.list()["items"]], [b_key.id])
        for call, args in [
            (as_b.orgs.get, (a.id,)),
            (as_b.orgs.envs.list, (a.id,)),
            (as_b.orgs.envs.get, (a.id, a_env)),
            (as_b.orgs.get, ("org_default",)),
            (as_b.with_tenant(env=a_env).keys.list, ()),
            (Hookline(api_key=b_key.key, base_url=URL, org=a.id).orgs.get, (b.id,)),
        ]:
            self.assertEqual(self.assert_status(404, call, *args).code, "not_found")
        self.assert_status(403, as_b.orgs.update, b.id, name="taken")

        as_a = Hookline(api_key=a_key.key, base_url=URL)
        self.assertEqual([o.id for o in as_a.orgs.list()["items"]], [a.id])
        self.assert_status(404, as_a.orgs.get, b.id)
        self.assert_status(404, as_a.keys.create, "wider", org_id=a.id)
        self.assert_status(403, as_a.orgs.create, "mine")

    def test_org_env_and_with_tenant_choose_where_calls_act(self):
        a = self.client.orgs.create(f"Acts A {uid()}")
        staging = self.client.orgs.envs.create(a.id, "staging")
        b = self.client.orgs.create(f"Acts B {uid()}")
        b_env = b.envs[0].id

        def landed(client):
            event = client.events.publish(f"py{uid()}.where", {}).event
            return (event.org_id, event.env_id)

        self.assertEqual(landed(self.client), ("org_default", "env_default"))
        self.assertEqual(landed(self.client.with_tenant(env=staging.id)), (a.id, staging.id))
        self.assertEqual(landed(self.client.with_tenant(org=a.id)), (a.id, a.envs[0].id))
        in_b = Hookline(api_key=KEY, base_url=URL, org=b.id, env=b_env)
        self.assertEqual(landed(in_b), (b.id, b_env))
        self.assertEqual(landed(in_b.with_tenant()), ("org_default", "env_default"))
        # An org and an environment that do not go together, or one that does not exist, are no tenant.
        self.assert_status(404, in_b.with_tenant(org=a.id, env=b_env).keys.list)
        unknown = self.assert_status(404, Hookline(api_key=KEY, base_url=URL, env="env_nope").keys.list)
        self.assertIn("env_nope", unknown.message)
