"""The App Home tab: a person's groups and their open tasks, with the task buttons."""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import DividerBlock

from models.home import DeadlineItem, MeetingItem, Membership
from models.tasks import TaskRow
from ui.blocks.common import BlockLike, context, header, section, section_dict, to_dicts
from ui.blocks.group import sector_title
from ui.blocks.reminders import when
from ui.blocks.tasks import task_buttons, task_line
from ui.formatting import format_datetime, said
from ui.i18n import _, label, role_name


def home_view(
    memberships: list[Membership],
    open_tasks: list[TaskRow],
    today: date,
    *,
    deadlines: list[DeadlineItem] | None = None,
    meetings: list[MeetingItem] | None = None,
    tz: ZoneInfo | None = None,
    limit: int = 35,
) -> dict[str, Any]:
    """At most `limit` tasks (two blocks each) keep the view under Slack's 100 blocks."""
    blocks: list[BlockLike] = [header(label("Your open tasks"))]
    if not open_tasks:
        blocks.append(section(_("Nothing open. :tada:")))
    for row in open_tasks[:limit]:
        blocks.append(
            section_dict(f"{task_line(row, today)}\n_{said(row.trial_name)}_", limit=3000)
        )
        blocks.append(task_buttons(row))
    if len(open_tasks) > limit:
        blocks.append(
            context(_("More tasks are open: type `/task list mine` in a group's channel."))
        )
    if deadlines:
        blocks += [DividerBlock(), header(label("Your reporting deadlines"))]
        blocks.append(
            section(
                "\n".join(
                    f"*D-{d.id}* {said(d.title)} ({said(d.trial_name)}) — {when(d.due_date, today)}"
                    for d in deadlines
                )
            )
        )
    if meetings and tz is not None:
        blocks += [DividerBlock(), header(label("Next meetings"))]
        blocks.append(
            section(
                "\n".join(
                    f"*M-{m.id}* {said(m.trial_name)}: {format_datetime(m.starts_at, tz)}"
                    + (f" · {said(m.place)}" if m.place else "")
                    for m in meetings
                )
            )
        )
    blocks += [DividerBlock(), header(label("Your advisory groups"))]
    if not memberships:
        blocks.append(
            section(
                _(
                    "You're not in any trial's advisory group yet. A trial's lead can add you with "
                    "`/group add`."
                )
            )
        )
    for m in memberships[:10]:
        where = _(" in <#{channel_id}>").format(channel_id=m.channel_id) if m.channel_id else ""
        blocks.append(
            section(
                f"*{said(m.trial_name)}*{where} · {role_name(m.role)} · {sector_title(m.sector)}"
            )
        )
    if len(memberships) > 10:
        blocks.append(context(_("…and {count} more groups.").format(count=len(memberships) - 10)))
    blocks.append(context(_("Type `/task help` or `/group help` in a group's channel.")))
    return {"type": "home", "blocks": to_dicts(blocks)}
