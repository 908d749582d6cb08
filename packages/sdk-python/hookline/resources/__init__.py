from .admin import Bindings, Keys, Portal, PostActions
from .agents import Agents, Callbacks, Crews, Runs, Schedules, WebhookTriggers
from .delivery import Deliveries, Events, Notifications, WebhookEndpoints
from .tenants import Environments, Orgs

__all__ = [
    "Agents",
    "Bindings",
    "Callbacks",
    "Crews",
    "Deliveries",
    "Environments",
    "Events",
    "Keys",
    "Notifications",
    "Orgs",
    "Portal",
    "PostActions",
    "Runs",
    "Schedules",
    "WebhookEndpoints",
    "WebhookTriggers",
]
