"""What the lead is told, once, about the channel's canvas."""

from __future__ import annotations

from slack_sdk.models.blocks import ActionsBlock, ButtonElement

from ui.blocks import ids
from ui.blocks.common import Message, notice, section, to_dicts
from ui.formatting import said
from ui.i18n import N_, Words, _, label

WHAT_TO_ASK = Words(
    {
        "canvas_disabled_user_team": N_("canvases are turned off for this workspace"),
        "restricted_action": N_("the workspace lets only some people (or apps) make canvases"),
        "not_in_channel": N_(
            "the bot is not in the channel (invite it with `/invite @advisory-bot`)"
        ),
        "channel_not_found": N_("Slack can't find the channel for the bot (it may be private)"),
    }
)


def canvas_refused(trial_name: str, code: str) -> Message:
    why = WHAT_TO_ASK.get(code) or _("Slack refused it ({code})").format(code=code)
    return notice(
        _(
            ":warning: I couldn't keep the Action Plan canvas in the {trial_name} "
            "channel: {why}. Ask your Slack admin to allow canvases for apps, then "
            "type `/group canvas` there. Everything else keeps working without it."
        ).format(trial_name=said(trial_name), why=why)
    )


def canvas_remade(trial_name: str) -> Message:
    return notice(
        _(
            "The Action Plan canvas of the {trial_name} channel had been deleted, "
            "so I made it again. It stays current as the plan changes."
        ).format(trial_name=said(trial_name))
    )


def channel_has_canvas(trial_name: str, trial_id: int) -> Message:
    """The channel's own canvas stays; the plan can join it as sections of its own."""
    text = _(
        "The {trial_name} channel has a canvas of its own, so I left it as it "
        "is. I can add the Action Plan to it as sections of their own (at the "
        "end, kept current), or the plan stays in `/task list` and `/summary`."
    ).format(trial_name=said(trial_name))
    button = ActionsBlock(
        elements=[
            ButtonElement(
                text=label("Add the plan to this canvas"),
                action_id=ids.CANVAS_ADOPT,
                value=str(trial_id),
                style="primary",
            )
        ]
    )
    return Message(text=text, blocks=to_dicts([section(text), button]))
