"""A task's rows are built as Block Kit's JSON directly (slack_sdk's objects cost too much
at an App Home's size): the JSON is what slack_sdk's objects would have made of them."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    MarkdownTextObject,
    Option,
    OverflowMenuElement,
    SectionBlock,
)

from models.tasks import TaskRow
from models.types import Language
from ui import i18n
from ui.blocks.common import actions, button, overflow, section_dict
from ui.blocks.home import home_view
from ui.blocks.tasks import task_buttons

ROW = TaskRow(
    id=12,
    trial_id=1,
    trial_name="Rānui",
    channel_id="CRANUI",
    title="Hire a truancy officer 🧑‍🏫",
    status="on-track",
    percent=40,
    due_date=date(2027, 1, 15),
    owner_user_id="UAROHA",
    outcome_name="Reduce truancy",
    created_by="UAROHA",
    created_at=datetime(2026, 11, 2),
    completed_at=None,
    source_agenda_item_id=None,
)


@pytest.mark.parametrize("language", [Language.ENGLISH, Language.MAORI, Language.BILINGUAL])
def test_a_tasks_buttons_are_what_slack_sdk_would_make(language: Language) -> None:
    with i18n.speaking(language):
        built = task_buttons(ROW, block_id="checkin-task-12")
        labels = [e["text"]["text"] for e in built["elements"]]
        expected = ActionsBlock(
            block_id="checkin-task-12",
            elements=[
                ButtonElement(text=labels[0], action_id="task_done", value="12", style="primary"),
                ButtonElement(text=labels[1], action_id="task_add_update", value="12"),
                *(
                    ButtonElement(text=text, action_id=f"task_status_{s}", value=f"{s}:12")
                    for text, s in zip(labels[2:], ("on-track", "at-risk", "blocked"), strict=True)
                ),
            ],
        ).to_dict()
    assert built == expected
    if language is not Language.ENGLISH:
        assert labels[0] != "Done"  # read in the reader's language


def test_sections_menus_and_long_labels_are_what_slack_sdk_would_make() -> None:
    menu = overflow("task_menu", [("Show", "show:12"), ("Done", "done:12")])
    assert (
        menu
        == OverflowMenuElement(
            action_id="task_menu",
            options=[Option(text="Show", value="show:12"), Option(text="Done", value="done:12")],
        ).to_dict()
    )
    text = "*T-12* Hire a truancy officer 🧑‍🏫 — Rānui " * 100
    assert (
        section_dict(text, menu)
        == SectionBlock(text=MarkdownTextObject(text=text[:1999] + "…"), accessory=menu).to_dict()
    )
    long = button("Tuhia he kōrero hou mō tēnei mahi " * 5, "task_add_update", "12")
    assert len(long["text"]["text"]) == 75 and long["text"]["text"].endswith("…")
    assert actions([long], block_id="task-12")["elements"] == [long]


def test_an_app_home_of_many_tasks_stays_within_slacks_hundred_blocks() -> None:
    rows = [ROW] * 60
    view = home_view([], rows, date(2026, 12, 2))
    assert view["type"] == "home"
    assert len(view["blocks"]) <= 100
    assert sum(block["type"] == "actions" for block in view["blocks"]) == 35
