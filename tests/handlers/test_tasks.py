"""The Action Plan over signed HTTP requests: /task, /update, buttons, modals, App Home.

The bot's clock is Monday 23 November 2026 (tests/conftest.py NOW).
"""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from typing import Any

import pytest
from sqlmodel import func, select

from bot.app import make_client
from bot.config import Settings
from handlers.background import Background
from handlers.context import Asker, Services
from handlers.task_ops import publish_home
from models.db import Database
from models.inbox import Inbox
from models.tables import AuditLog, Member, ProgressUpdate, Task, Trial
from simulator.web_api import FakeSlack
from tests.conftest import ARO, DIRECTOR, GORE, HEMI, LISA, NOW, RANUI
from tests.harness.checks import assert_refused, wait_until_made
from tests.harness.slack_requests import Interactions, Slack, buttons

OBSERVER = "UOBSERVER"


@pytest.fixture
def plan(gore: Slack) -> Slack:
    """Gore District with Hemi (iwi) and Aro (agency) as members."""
    gore.say(f"/group add <@{HEMI}|hemi> iwi", user=LISA, channel=GORE)
    gore.say(f'/group add <@{ARO}|aro> agency "NZ Police"', user=LISA, channel=GORE)
    return gore


def _task(database: Database, task_id: int) -> Task:
    with database.session(write=False) as session:
        task = session.get(Task, task_id)
        assert task is not None
        return task


def _count(database: Database, model: type, *where: Any) -> int:
    with database.session(write=False) as session:
        return session.exec(select(func.count()).select_from(model).where(*where)).one()


def test_the_action_plan_conversation(
    plan: Slack, database: Database, fake_slack: FakeSlack
) -> None:
    first = plan.say(
        f"/task add Hire a truancy officer owner <@{HEMI}|hemi> due 15/12 outcome Reduce truancy",
        user=LISA,
        channel=GORE,
    )
    assert not first.ephemeral
    assert "T-1 · Hire a truancy officer" in first.text
    assert "*Due*\nTue 15 Dec 2026" in first.text and f"<@{HEMI}>" in first.text
    assert set(buttons(first)) >= {"task_done", "task_add_update", "task_status_at-risk"}

    second = plan.say(
        "/task add Breakfast club at Gore Main School owner @aro due next friday outcome truancy",
        user=HEMI,
        channel=GORE,
    )
    assert "*Due*\nFri 27 Nov 2026" in second.text and "Reduce truancy" in second.text
    third = plan.say(
        '/task add "Youth hub: due diligence on the lease" due 2027-01-31 '
        "outcome Increase education, training and employment",
        user=LISA,
        channel=GORE,
    )
    assert "T-3 · Youth hub: due diligence on the lease" in third.text
    assert f"<@{LISA}>" in third.text  # the owner defaults to the author

    listing = plan.say("/task list", user=OBSERVER, channel=GORE)  # observers read
    assert listing.ephemeral
    assert listing.text.index("T-2") < listing.text.index("T-1") < listing.text.index("T-3")
    assert "Showing 1–3 of 3" in listing.text
    by_outcome = plan.say("/task list outcome truancy", user=LISA, channel=GORE)
    assert "T-1" in by_outcome.text and "T-2" in by_outcome.text and "T-3" not in by_outcome.text
    assert "“Reduce truancy”" in by_outcome.text
    assert "T-2" in plan.say("/task list mine", user=ARO, channel=GORE).text
    hemis = plan.say(f"/task list <@{HEMI}>", user=LISA, channel=GORE)
    assert "T-1" in hemis.text and "T-2" not in hemis.text

    update = plan.say("/update t1 at-risk 40% Waiting on the school board", user=HEMI, channel=GORE)
    assert not update.ephemeral
    assert "updated *T-1* Hire a truancy officer: at risk, 40%" in update.text
    assert "Waiting on the school board" in update.text
    task = _task(database, 1)
    assert (task.status, task.percent) == ("at-risk", 40)

    shown = plan.say("/task show T-1", user=ARO, channel=GORE)
    assert "Waiting on the school board" in shown.text and "at risk, 40%" in shown.text

    # Done, twice: one completion.
    clicks = Interactions(plan)
    done_button = buttons(shown)["task_done"]
    results = [clicks.click(done_button, user=HEMI, channel=GORE) for _ in range(2)]
    replies = [fake_slack.wait_for("response_url", hook=r.hook)[0].params["text"] for r in results]
    # A double click: both kept before their acks, made one after the other in either order.
    assert sorted("now done" in text for text in replies) == [False, True], replies
    assert any("already done" in text for text in replies), replies
    assert _count(database, AuditLog, AuditLog.action == "task.done") == 1
    assert _count(database, ProgressUpdate, ProgressUpdate.status == "done") == 1
    notes = [c for c in fake_slack.calls_to("chat.postMessage") if c.params.get("channel") == GORE]
    assert len(notes) == 1 and "completed *T-1*" in notes[0].params["text"]
    assert _task(database, 1).completed_at is not None

    reassigned = plan.say(f"/task assign T-2 <@{HEMI}>", user=LISA, channel=GORE)
    assert (
        "gave *T-2* Breakfast club at Gore Main School to <@UHEMI> (was <@UARO>)" in reassigned.text
    )
    published_to = {c.params["user_id"] for c in fake_slack.calls_to("views.publish")}
    assert {ARO, HEMI} <= published_to

    refused = plan.say("/update T-3 on-track 10% Started", user=ARO, channel=GORE)
    assert refused.ephemeral
    assert (
        f"Only its owner (<@{LISA}>), the lead of Gore District (<@{LISA}>) or the Director "
        f"(<@{DIRECTOR}>) can change this task."
    ) in refused.text
    assert _task(database, 3).status == "not-started"

    observer_add = plan.say("/task add Sneaky task", user=OBSERVER, channel=GORE)
    assert (
        "Only members of Gore District or the Director (<@UDIRECTOR>) can add tasks."
        in observer_add.text
    )
    assert _count(database, Task) == 3


def test_past_due_dates_are_accepted_and_flagged(plan: Slack) -> None:
    added = plan.say("/task add Six-monthly report draft due 1/11/2026", user=LISA, channel=GORE)
    assert "already passed" in added.text and "overdue 22 days" in added.text
    overdue = plan.say("/task list overdue", user=LISA, channel=GORE)
    assert "T-1" in overdue.text and "overdue" in overdue.text
    moved = plan.say("/task due T-1 in 2 weeks", user=LISA, channel=GORE)
    assert "now due Mon 7 Dec 2026" in moved.text
    assert "T-1" not in plan.say("/task list overdue", user=LISA, channel=GORE).text.replace(
        "/task", ""
    )


def test_references_from_another_trial_are_refused(plan: Slack, database: Database) -> None:
    plan.say("/group setup Rānui lead <@UMARK|mark>", user=DIRECTOR, channel=RANUI)
    plan.say("/task add Work-ready programme", user="UMARK", channel=RANUI)
    refused = plan.say("/task done T-1", user=LISA, channel=GORE)
    assert "T-1 belongs to Rānui, not Gore District" in refused.text
    assert "<#CRANUI>" in refused.text
    assert _task(database, 1).status == "not-started"
    missing = plan.say("/task show T-99", user=LISA, channel=GORE)
    assert "There is no task T-99" in missing.text


def test_the_update_modal(plan: Slack, database: Database, fake_slack: FakeSlack) -> None:
    plan.say("/task add Hire a truancy officer owner @hemi due 15/12", user=LISA, channel=GORE)
    plan.say("/task add Holiday programme owner @hemi", user=LISA, channel=GORE)
    result = plan.command("/update", "", user=HEMI, channel=GORE)
    assert result.status == 200
    view = fake_slack.wait_for("views.open")[0].view
    assert view["callback_id"] == "update_view"
    options = view["blocks"][0]["element"]["options"]
    assert [o["value"] for o in options] == ["1", "2"]  # soonest due first

    clicks = Interactions(plan)
    bad = clicks.submit(
        view,
        {"task": "1", "status": "blocked", "percent": "140", "text": "Waiting on funding"},
        user=HEMI,
    )
    assert bad["response_action"] == "errors"
    assert "not a percentage" in bad["errors"]["percent"]
    assert _count(database, ProgressUpdate) == 0

    good = clicks.submit(
        view,
        {"task": "1", "status": "blocked", "percent": "20%", "text": "Waiting on funding"},
        user=HEMI,
    )
    assert good == {}
    wait_until_made(database)  # kept before the ack, made after it
    task = _task(database, 1)
    assert (task.status, task.percent) == ("blocked", 20)
    with database.session(write=False) as session:
        update = session.exec(select(ProgressUpdate)).one()
    assert (update.source, update.text, update.author_user_id) == (
        "modal",
        "Waiting on funding",
        HEMI,
    )
    note = fake_slack.wait_for("chat.postMessage")[0]
    assert note.params["channel"] == GORE and "blocked, 20%" in note.params["text"]

    # "Add update" on a task card opens the same form with that task chosen.
    card = plan.say("/task show T-2", user=HEMI, channel=GORE)
    clicks.click(buttons(card)["task_add_update"], user=HEMI, channel=GORE)
    reopened = fake_slack.wait_for("views.open", count=2)[1].view
    assert reopened["blocks"][0]["element"]["initial_option"]["value"] == "2"

    # Someone else's task, submitted through the form, is refused beside the text.
    refused = clicks.submit(reopened, {"task": "2", "text": "Not mine"}, user=ARO)
    assert "Only its owner" in refused["errors"]["text"]
    assert _count(database, ProgressUpdate) == 1


def test_the_new_task_modal(plan: Slack, database: Database, fake_slack: FakeSlack) -> None:
    plan.say("/task add Hire a truancy officer outcome Reduce truancy", user=LISA, channel=GORE)
    assert plan.command("/task", "add", user=HEMI, channel=GORE).status == 200
    view = fake_slack.wait_for("views.open")[0].view
    assert view["callback_id"] == "create_task_view"
    assert "Reduce truancy" in json.dumps(view)
    clicks = Interactions(plan)

    bad = clicks.submit(view, {"title": "Breakfast club", "due": "31/2/2027"}, user=HEMI)
    assert bad["response_action"] == "errors"
    assert "February has 28 days" in bad["errors"]["due"]
    not_member = clicks.submit(view, {"title": "Breakfast club", "owner": OBSERVER}, user=HEMI)
    assert "isn't in the Gore District group" in not_member["errors"]["owner"]
    assert _count(database, Task) == 1

    good = clicks.submit(
        view, {"title": "Breakfast club", "due": "next friday", "outcome": "truancy"}, user=HEMI
    )
    assert good == {}
    wait_until_made(database)
    with database.session(write=False) as session:
        task = session.get(Task, 2)
        owner = session.get(Member, task.owner_member_id) if task else None
    assert task is not None and owner is not None
    assert (task.title, str(task.due_date), owner.slack_user_id) == (
        "Breakfast club",
        "2026-11-27",
        HEMI,
    )
    card = fake_slack.wait_for("chat.postMessage")[0]
    assert card.params["channel"] == GORE and "T-2 · Breakfast club" in json.dumps(
        card.params, ensure_ascii=False
    )


def test_app_home_shows_open_tasks_with_theirbuttons(
    plan: Slack, fake_slack: FakeSlack, database: Database
) -> None:
    plan.say("/task add Hire a truancy officer owner @hemi due 15/12", user=LISA, channel=GORE)
    plan.say("/task add Holiday programme owner @hemi due 1/12", user=LISA, channel=GORE)
    plan.say("/deadline add Truancy figures due 4/12 owner @hemi", user=LISA, channel=GORE)
    plan.say("/meeting schedule 2/12 10am at Gore Library", user=LISA, channel=GORE)
    published = len(fake_slack.calls_to("views.publish"))
    assert (
        plan.event(
            {"type": "app_home_opened", "user": HEMI, "tab": "home"}, event_id="EvHome"
        ).status
        == 200
    )
    calls = [
        c
        for c in fake_slack.wait_for("views.publish", count=published + 1)
        if c.params["user_id"] == HEMI
    ]
    home = calls[-1].view
    text = json.dumps(home)
    assert text.index("T-2") < text.index("T-1")  # soonest due first
    assert "*D-1* Truancy figures (Gore District)" in text  # their deadlines
    assert "*M-1* Gore District: Wed 2 Dec 2026, 10:00" in text  # their groups' next meetings
    # Done from App Home: no response_url, so the confirmation comes by direct message.
    Interactions(plan).click(buttons(home)["task_done"], user=HEMI, channel=None)
    dm = fake_slack.wait_for("chat.postMessage", count=2)
    assert any(c.params["channel"] == HEMI and "T-2 is now done" in c.params["text"] for c in dm)
    assert _task(database, 2).status == "done"


def test_five_hundred_open_tasks_page_within_slack_limits(
    plan: Slack, database: Database, fake_slack: FakeSlack
) -> None:
    with database.session() as session:
        trial = session.exec(select(Trial)).one()
        owner = session.exec(select(Member).where(Member.slack_user_id == HEMI)).one()
        for number in range(500):
            session.add(
                Task(
                    trial_id=trial.id,
                    title=f"Action {number:03d} " + "ā" * 150,
                    owner_member_id=owner.id,
                    created_by=LISA,
                )
            )
    first = plan.say("/task list", user=LISA, channel=GORE)
    assert "page 1 of 34" in first.text and "Showing 1–15 of 500" in first.text
    next_button = buttons(first)["task_list_page_next"]
    turned = Interactions(plan).click(next_button, user=LISA, channel=GORE)
    page_two = fake_slack.wait_for("response_url", hook=turned.hook)[0].params
    assert page_two["replace_original"] is True
    assert "Showing 16–30 of 500" in json.dumps(page_two, ensure_ascii=False)
    plan.event({"type": "app_home_opened", "user": HEMI, "tab": "home"}, event_id="EvBig")
    home = [c for c in fake_slack.wait_for("views.publish") if c.params["user_id"] == HEMI][-1].view
    assert len(home["blocks"]) <= 100 and "/task list mine" in json.dumps(home)
    # (every message and view above was also checked against Slack's limits by the fake)


BAD = [
    ("/task add owner @hemi", "task title is missing"),
    ("/task add " + "x" * 2000, "keep it to 200"),
    ("/task add Report due someday", "can't read"),
    ("/task add Report due 12/31/2026", "day first"),
    ("/task add Report owner @hemi @aro", "one owner"),
    ("/task add Report owner <@UNOBODY>", "isn't in the Gore District group"),
    ("/task add Report due", "`due` needs something after it"),
    ("/task show", "Say which task"),
    ("/task show M-5", "is a meeting"),
    ("/task done T-42", "There is no task T-42"),
    ("/task list sideways", "can't list"),
    ("/task list outcome housing", "No outcome of Gore District matches"),
    ("/task frobnicate", "I don't know `/task frobnicate`"),
    ("/update T-1", None),  # opens the modal: no error
    ("/update T-1 150% more", "not a percentage"),
    ("/update banana done", "not a task reference"),
    ("/task assign T-1", "Say who should own it"),
]


@pytest.mark.parametrize(
    ("line", "says"), [b for b in BAD if b[1]], ids=[b[1] for b in BAD if b[1]]
)
def test_bad_input_is_refused_and_changes_nothing(
    plan: Slack, database: Database, line: str, says: str
) -> None:
    plan.say("/task add Hire a truancy officer", user=LISA, channel=GORE)
    assert_refused(plan, database, line, says, user=LISA, channel=GORE)


def test_simultaneous_done_clicks_make_one_completion(
    plan: Slack, database: Database, fake_slack: FakeSlack
) -> None:
    card = plan.say("/task add Hire a truancy officer owner @hemi", user=LISA, channel=GORE)
    done = buttons(card)["task_done"]
    clicks = Interactions(plan)
    results: list[Any] = []
    threads = [
        threading.Thread(target=lambda: results.append(clicks.click(done, user=HEMI, channel=GORE)))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    texts = [fake_slack.wait_for("response_url", hook=r.hook)[0].params["text"] for r in results]
    assert sum("is now done" in t for t in texts) == 1
    assert sum("already done" in t for t in texts) == 3
    assert _count(database, AuditLog, AuditLog.action == "task.done") == 1
    assert _count(database, ProgressUpdate) == 1


def test_a_form_slack_wont_open_says_so(plan: Slack, fake_slack: FakeSlack) -> None:
    fake_slack.fail("views.open", 200, body={"ok": False, "error": "expired_trigger_id"})
    result = plan.command("/task", "add", user=LISA, channel=GORE)
    assert result.status == 200 and result.hook
    reply = fake_slack.wait_for("response_url", hook=result.hook)[0].params
    assert "didn't let the form open in time" in reply["text"]
    assert "ERR-" not in reply["text"]


def test_an_app_home_that_would_show_the_same_is_not_sent_again(
    plan: Slack, database: Database, settings: Settings
) -> None:
    plan.say("/task add Breakfast club owner @hemi due 15/12", user=LISA, channel=GORE)
    # Hemi's Home published through a Slack of its own, apart from the app's publishes.
    homes = FakeSlack().start()
    background = Background()
    services = Services(
        settings=settings,
        database=database,
        clock=lambda: NOW,
        client=make_client(replace(settings, slack_api_url=homes.url)),
        background=background,
        inbox=Inbox(database),
    )
    hemi = Asker(
        user_id=HEMI, channel_id=None, handle=None, services=services, client=services.client
    )

    def sent() -> list[dict[str, Any]]:
        return [c.view for c in homes.calls_to("views.publish")]

    publish_home(hemi, HEMI)
    publish_home(hemi, HEMI)  # nothing changed: nothing sent
    assert len(sent()) == 1 and "Breakfast club" in json.dumps(sent()[0])
    plan.say("/update T-1 at-risk 40% Menus agreed", user=LISA, channel=GORE)
    publish_home(hemi, HEMI)  # the task's status changed: sent
    assert len(sent()) == 2 and "40%" in json.dumps(sent()[-1])
    publish_home(hemi, HEMI, again=True)  # just opened: sent though unchanged
    assert len(sent()) == 3
    homes.fail("views.publish", 200, body={"ok": False, "error": "internal_error"})
    plan.say("/update T-1 on-track 50% Menus printed", user=LISA, channel=GORE)
    publish_home(hemi, HEMI)  # refused by Slack: not taken as shown...
    publish_home(hemi, HEMI)  # ...so the same view goes again
    assert len(sent()) == 5 and sent()[-1] == sent()[-2] and "50%" in json.dumps(sent()[-1])
    background.shutdown()
    homes.stop()
