"""Archives are safe to open: no CSV cell reads as a formula in a spreadsheet (OWASP's
advice: a leading apostrophe), and no file or zip entry name holds a path, a control or a
direction mark, whatever people named their trial."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from handlers.handover import make_archive
from models.db import Database
from models.tables import pk
from models.text import slug
from tests.harness import data
from ui.exports import csv_bytes

SAFE_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
HOSTILE_TRIAL = "../../outside/evil ..\\x Ōtautahi \u202egpj.exe"
HYPERLINK = '=HYPERLINK("http://example.com/x","Click")'
CALC = "=cmd|' /C calc'!A0"


def _cells(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_every_cell_a_spreadsheet_would_run_is_written_as_text() -> None:
    starts = ["=1+1", "+61 3 555", "-2+3", "@SUM(A1)", "\tTab", "\rReturn", HYPERLINK, CALC]
    rows = _cells(csv_bytes(["title", "count"], [[s, -5] for s in starts]))
    assert [row[0] for row in rows[1:]] == ["'" + s for s in starts]
    assert {row[1] for row in rows[1:]} == {"-5"}  # a number stays a number
    plain = _cells(csv_bytes(["title"], [["Kai for the kura"], ["Rānui: 12-18"]]))
    assert plain[1:] == [["Kai for the kura"], ["Rānui: 12-18"]]


@given(st.text(max_size=300))
def test_a_slug_is_letters_digits_and_hyphens_whatever_it_is_made_from(text: str) -> None:
    made = slug(text)
    assert made == "trial" or SAFE_NAME.match(made), made
    assert len(made) <= 60


def test_a_hostile_trial_name_makes_safe_names() -> None:
    assert slug(HOSTILE_TRIAL) == "outside-evil-x-otautahi-gpj-exe"
    assert slug("Rānui") == "ranui" and slug("../..") == "trial"


def test_the_handover_archive_of_a_hostile_trial_is_safe_to_open(database: Database) -> None:
    with database.session() as session:
        trial = data.trial(session, HOSTILE_TRIAL, channel="CEVIL")
        lead = data.member(session, trial, "ULISA", role="lead")
        lead.organisation = CALC
        data.task(session, trial, lead, HYPERLINK, date(2026, 12, 15))
        trial_id = pk(trial)
    built = make_archive(
        database=database,
        trial_id=trial_id,
        now=datetime(2026, 12, 8, 1, 0, tzinfo=UTC),
        tz=ZoneInfo("Pacific/Auckland"),
    )
    assert built.filename == "outside-evil-x-otautahi-gpj-exe-records-2026-12-08.zip"
    with zipfile.ZipFile(io.BytesIO(built.content)) as archive:
        names = archive.namelist()
        for name in names:
            folder, file = name.split("/")
            assert SAFE_NAME.match(folder) and re.match(r"^[A-Za-z0-9_-]+\.[a-z]+$", file), name
        tasks = _cells(archive.read(next(n for n in names if n.endswith("/tasks.csv"))))
        members = _cells(archive.read(next(n for n in names if n.endswith("/members.csv"))))
    assert "'" + HYPERLINK in tasks[1]
    assert "'" + CALC in members[1]
