from .admin import Bindings, Keys, Portal, PostActions
from .agents import Agents, Callbacks, Crews, Runs, Schedules, WebhookTriggers
from .delivery import Deliveries, Events, Notifications, WebhookEndpoints

__all__ = [
    "Agents",
    "Bindings",
    "Callbacks",
    "Crews",
    "Deliveries",
    "Events",
    "Keys",
    "Notifications",
    "Portal",
    "PostActions",
    "Runs",
    "Schedules",
    "WebhookEndpoints",
    "WebhookTriggers",
]
