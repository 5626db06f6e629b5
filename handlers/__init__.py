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
    report,
    summary,
    task_actions,
    tasks,
    updates,
)
from handlers.context import Services

# Every slash command: (what it does, its usage hint). The app manifest is built from this.
COMMANDS: dict[str, tuple[str, str]] = {
    "/group": (
        "The trial's advisory group: members, roles, the trial's details",
        "[setup|add|remove|list|info|set|status|away|back|help]",
    ),
    "/task": (
        "The Action Plan: add, list, show and complete tasks",
        "[add|list|show|done|assign|due|help]",
    ),
    "/update": ("A progress update on a task", "T-12 [on-track|at-risk|blocked|done] [NN%] text"),
    "/meeting": (
        "Schedule meetings, keep minutes and attendance",
        "[schedule|list|show|cancel|minutes|help]",
    ),
    "/agenda": ("The next meeting's agenda", "[add|show|move|remove|help]"),
    "/deadline": ("Reporting deadlines and their reminders", "[add|list|submitted|remind|help]"),
    "/summary": (
        "Where the trial stands (or, for the Director, every trial)",
        "[all|<Trial name>] [export]",
    ),
    "/indicator": ("The measures of the Action Plan's outcomes", "[add|record|list|show|help]"),
    "/report": ("A draft six-monthly progress report", "draft [all] [<period>]"),
}


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
    indicators.register(app, services)
    report.register(app, services)
