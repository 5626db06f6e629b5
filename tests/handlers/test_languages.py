"""Te reo Māori: a person who reads māori, a channel written bilingually and another in
English each get the same task, meeting and reminder in their own language, with the Māori
Language Commission's names of the days and months."""

from __future__ import annotations

import json
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.app import make_client
from bot.config import Settings
from models.db import Database
from scheduler.sweep import sweep
from simulator.web_api import FakeSlack
from tests.conftest import ARO, DIRECTOR, GORE, HEMI, LISA, RANUI
from tests.harness.checks import assert_refused
from tests.harness.slack_requests import Reply, Slack, buttons

NZ = ZoneInfo("Pacific/Auckland")


def _groups(gore: Slack) -> None:
    gore.say(f"/group add <@{HEMI}|hemi> iwi", user=LISA, channel=GORE)
    gore.say(f"/group setup Rānui lead <@{ARO}|aro>", user=DIRECTOR, channel=RANUI)
    mine = gore.say("/group language Māori", user=HEMI, channel=GORE)
    assert mine.ephemeral
    assert mine.text.startswith("Kia ora! Mai i tēnei wā ka tae atu āu whakautu")
    assert "i roto i te reo Māori." in mine.text
    assert mine.text.rstrip().endswith("Ngā mihi")
    channel = gore.say("/group language channel bilingual", user=LISA, channel=GORE)
    assert not channel.ephemeral
    assert "Kia ora! From now on the bot posts in this channel" in channel.text
    assert "in te reo Māori and English." in channel.text


def test_choosing_a_language(gore: Slack, database: Database) -> None:
    gore.say(f"/group add <@{HEMI}|hemi> iwi", user=LISA, channel=GORE)
    assert_refused(
        gore,
        database,
        "/group language channel english",
        "Only the lead",
        user=HEMI,
        channel=GORE,
    )
    assert_refused(
        gore, database, "/group language klingon", "is not a language", user=HEMI, channel=GORE
    )
    for typed in ("maori", "reo", "te reo", "te reo Māori", "MĀORI"):
        reply = gore.say(f"/group language {typed}", user=HEMI, channel=GORE)
        assert reply.text.startswith("Kia ora!"), typed
    back = gore.say("/group language english", user=HEMI, channel=GORE)
    assert back.text.startswith(
        "From now on your replies, direct messages, App Home and reminders are in English."
    )


def _card_texts(reply: Reply) -> tuple[str, list[str]]:
    return reply.text, [b["text"]["text"] for b in buttons(reply).values() if b["type"] == "button"]


def test_the_same_task_meeting_and_reminder_in_each_ones_language(
    gore: Slack, database: Database, settings: Settings, fake_slack: FakeSlack
) -> None:
    _groups(gore)
    # The task, posted in the bilingual channel: te reo first, English beside it.
    added = gore.say(
        "/task add Hire a truancy officer owner @hemi due 15/12", user=LISA, channel=GORE
    )
    text, labels = _card_texts(added)
    assert "*Kaipupuri · Owner*" in text and "*Rā tuku · Due*" in text
    assert "Rātū, 15 Hakihea 2026 (Tue 15 Dec 2026)" in text
    assert "Kua oti · Done" in labels and "Kei te mōrearea · At risk" in labels
    # Shown to Hemi, who reads māori; and to Lisa, in English.
    text, labels = _card_texts(gore.say("/task show T-1", user=HEMI, channel=GORE))
    assert "*Kaipupuri*" in text and "Owner" not in text
    assert "Rātū, 15 Hakihea 2026" in text and "Dec" not in text
    assert "Kua oti" in labels and "Done" not in labels
    text, labels = _card_texts(gore.say("/task show T-1", user=LISA, channel=GORE))
    assert "*Owner*" in text and "Tue 15 Dec 2026" in text and "Hakihea" not in text
    assert "Done" in labels
    # An English channel: the same kind of task, in English.
    english = gore.say("/task add Youth hub lease due 15/12", user=ARO, channel=RANUI)
    assert "*Owner*" in english.text and "Tue 15 Dec 2026" in english.text

    # The meeting: bilingual in Gore's channel, English in Rānui's.
    met = gore.say("/meeting schedule 18/12 10am at Gore Library", user=LISA, channel=GORE)
    assert met.blocks[0]["text"]["text"] == "Hui · Meeting · M-1"
    assert "Rāmere, 18 Hakihea 2026, 10:00 (Fri 18 Dec 2026)" in met.text
    assert met.text.startswith("Kia ora! ") and met.text.endswith("Ngā mihi · Kind regards")
    ranui = gore.say("/meeting schedule 18/12 10am", user=ARO, channel=RANUI)
    assert ranui.blocks[0]["type"] != "header" and "Fri 18 Dec 2026, 10:00" in ranui.text
    assert "Hakihea" not in ranui.text

    # The reminders of Friday 11 December (the task is due on the Tuesday; the meeting's
    # call for agenda items is five days before, on the Sunday, so the Friday).
    sweep(
        now=datetime(2026, 12, 11, 9, 5, tzinfo=NZ),
        database=database,
        client=make_client(settings),
        settings=settings,
        me="test",
    )
    sent = {}
    for call in fake_slack.calls_to("chat.postMessage"):
        metadata = call.params.get("metadata")
        if metadata:
            payload = (json.loads(metadata) if isinstance(metadata, str) else metadata)[
                "event_payload"
            ]
            sent[(payload["kind"], payload["target"])] = call.params
    to_hemi = sent[("task", "T-1")]
    assert to_hemi["channel"] == HEMI
    hemi_text = json.dumps(to_hemi["blocks"], ensure_ascii=False)
    assert "Whakamaumahara mahi" in hemi_text and "Kia ora!" in hemi_text
    assert "me oti hei te Rātū, 15 Hakihea 2026, ā te 4 rā" in hemi_text
    assert "Kua oti" in hemi_text and "Done" not in hemi_text
    to_aro = sent[("task", "T-2")]
    aro_text = json.dumps(to_aro["blocks"], ensure_ascii=False)
    assert to_aro["channel"] == ARO and "due in 4 days (Tue 15 Dec 2026)" in aro_text
    assert "Kia ora" not in aro_text and "Hakihea" not in aro_text
    call_gore = json.dumps(sent[("agenda-call", "M-1")]["blocks"], ensure_ascii=False)
    assert "Tonoa ngā take · Agenda call" in call_gore
    assert "Rāmere, 18 Hakihea 2026, 10:00 (Fri 18 Dec 2026)" in call_gore
    call_ranui = json.dumps(sent[("agenda-call", "M-2")]["blocks"], ensure_ascii=False)
    assert "Fri 18 Dec 2026, 10:00" in call_ranui and "Hakihea" not in call_ranui


def test_the_summary_in_a_bilingual_channel(gore: Slack) -> None:
    _groups(gore)
    posted = gore.say("/summary", user=HEMI, channel=GORE)
    assert not posted.ephemeral  # for the channel, so in the channel's language
    assert posted.blocks[0]["text"]["text"] == "Gore District · whakarāpopototanga · summary"
    assert "*Mahere Mahi · Action Plan*" in posted.text and "*Rōpū · Group*" in posted.text
    english = gore.say("/summary", user=ARO, channel=RANUI)
    assert english.blocks[0]["text"]["text"] == "Rānui · summary"
    assert "*Action Plan*" in english.text


def test_help_and_app_home_in_te_reo(gore: Slack, fake_slack: FakeSlack) -> None:
    _groups(gore)
    helped = gore.say("/task help", user=HEMI, channel=GORE)
    assert "Te Mahere Mahi o te whakamātautau" in helped.text
    assert "/task add" in helped.text  # the usages are commands, the same in any language
    gore.say("/task add Hire a truancy officer owner @hemi due 15/12", user=LISA, channel=GORE)

    def headers() -> list[list[str]]:
        """The headings of each App Home view published to Hemi, oldest first."""
        found = []
        for call in fake_slack.calls_to("views.publish"):
            if call.params["user_id"] == HEMI:
                view = call.params["view"]
                view = json.loads(view) if isinstance(view, str) else view
                found.append([b["text"]["text"] for b in view["blocks"] if b["type"] == "header"])
        return found

    deadline = time.monotonic() + 10
    while not any("Ō mahi tuwhera" in h for h in headers()):  # the one after the task
        assert time.monotonic() < deadline, headers()
        time.sleep(0.05)
    assert "Your open tasks" not in headers()[-1]
