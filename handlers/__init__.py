"""Slack listeners, one module per command family; `register_all` wires them in."""

from __future__ import annotations

from slack_bolt import App

from handlers import (
    agenda,
    deadlines,
    errors,
    events,
    group,
    meetings,
    summary,
    task_actions,
    tasks,
    updates,
)
from handlers.context import Services

COMMANDS = ("/group", "/task", "/update", "/meeting", "/agenda", "/deadline", "/summary")


def register_all(app: App, services: Services) -> None:
    errors.register(app)
    events.register(app, services)
    group.register(app, services)
    tasks.register(app, services)
    updates.register(app, services)
    task_actions.register(app, services)
    meetings.register(app, services)
    agenda.register(app, services)
    deadlines.register(app, services)
    summary.register(app, services)
