"""Slack listeners, one module per command family; `register_all` wires them in."""

from __future__ import annotations

from slack_bolt import App

from handlers import (
    agenda,
    deadlines,
    errors,
    events,
    group,
    indicators,
    meetings,
    minutes_form,
    programmes,
    report,
    summary,
    task_actions,
    tasks,
    transition,
    updates,
)
from handlers.context import Services
from handlers.listeners import on_command
from handlers.registry import Family

# Every slash command, in the order help and the manifest list them.
FAMILIES: tuple[Family, ...] = (
    group.FAMILY,
    tasks.FAMILY,
    updates.FAMILY,
    meetings.FAMILY,
    agenda.FAMILY,
    deadlines.FAMILY,
    programmes.FAMILY,
    transition.FAMILY,
    summary.FAMILY,
    indicators.FAMILY,
    report.FAMILY,
)


def register_all(app: App, services: Services) -> None:
    errors.register(app)
    # Slash commands first: Bolt tries each listener in the order registered, and the
    # commands are most of what comes.
    for family in FAMILIES:
        on_command(app, family, services)
    group.register(app, services)
    task_actions.register(app, services)
    meetings.register(app, services)
    minutes_form.register(app, services)
    deadlines.register(app, services)
    report.register(app, services)
    # Last: Bolt tries each listener in the order registered, and slash commands and
    # clicks, not events, are what people wait for.
    events.register(app, services)
