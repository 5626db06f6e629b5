"""`advisory-bot console --demo` through a real terminal conversation (a subprocess's
stdin and stdout): readable replies, numbered buttons, no raw JSON."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path

from models.db import Database
from tests.harness.processes import SCRIPT


def test_a_conversation_in_the_console(database: Database, tmp_path: Path) -> None:
    lines = [
        ":channel #new-town",
        "/group setup Tūranga lead @aroha.gor",
        ":as aroha.gor",
        '/group add @hemi.gor iwi "Ngāi Tāmanuhiri"',
        "/task add Hire a youth worker owner @hemi.gor due friday outcome Reduce truancy",
        "1",
        "/task add",
        "Breakfast club",
        "",
        "31/2",
        "",
        "next friday",
        "/summary",
        ":remind 2026-12-14T09:00",
        ":quit",
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL"))}
    env["DATABASE_URL"] = database.url.render_as_string(hide_password=False)
    done = subprocess.run(
        [SCRIPT, "console", "--demo"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
        cwd=tmp_path,
    )
    out = done.stdout
    assert done.returncode == 0, done.stderr + out
    assert "This channel is now the advisory group of Tūranga, a new trial. Lead: @aroha.gor" in out
    assert "You are now @aroha.gor." in out
    assert "added @hemi.gor — Ngāi Tāmanuhiri (Iwi) in the Tūranga group" in out
    assert "· Hire a youth worker" in out and "[1] Done  [2] Add update" in out
    assert "(pressed “Done”)" in out and "completed T-" in out
    assert "[New task]" in out and "There is no 31 February." in out and "Saved." in out
    assert "Tūranga · summary" in out and "Action Plan · 1 of 2 done (50%)" in out
    assert "the scheduler would send" in out
    assert out.rstrip().endswith("Bye.")
    for raw in ('{"', "'blocks'", '"type":', "Traceback"):
        assert raw not in out, raw


def _console(database: Database, tmp_path: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL"))}
    env["DATABASE_URL"] = database.url.render_as_string(hide_password=False)
    return subprocess.Popen(
        [SCRIPT, "console", "--demo"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=tmp_path,
    )


def test_the_console_takes_the_commands_dates_finds_channels_shows_home_and_late_replies(
    database: Database, tmp_path: Path
) -> None:
    process = _console(database, tmp_path)
    assert process.stdin is not None and process.stdout is not None
    seen: list[str] = []
    reader = threading.Thread(target=lambda: seen.extend(iter(process.stdout.readline, "")))
    reader.start()

    def type_and_wait(line: str, expect: str, timeout: float = 60) -> str:
        assert process.stdin is not None
        start = len(seen)
        process.stdin.write(line + "\n")
        process.stdin.flush()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if expect in "".join(seen[start:]):
                return "".join(seen[start:])
            time.sleep(0.05)
        raise AssertionError(f"{line!r} never printed {expect!r}: {''.join(seen[start:])}")

    try:
        # Waits for the first reminder's line (its first line, quoted), not just the heading.
        remind = type_and_wait(":remind 14/12 9am", " · “")
        assert "At Mon 14 Dec 2026, 09:00 the scheduler would send" in remind
        assert "There is no 31 February" in type_and_wait(":remind 31/2 9am", "⚠")
        assert "#rānui" in type_and_wait(":channel ranui", "You are now in")
        assert "#gore-district" in type_and_wait(":channel Gore District", "You are now in")
        assert "#rānui" in type_and_wait(":channel #Rānui", "You are now in")
        wrong = type_and_wait("/meetings", "There is no /meetings command")
        assert "Did you mean /meeting?" in wrong
        assert "@app.command" not in wrong and "Bolt" not in wrong
        type_and_wait(":as aroha.gor", "You are now @aroha.gor.")
        type_and_wait(":channel #gore-district", "You are now in")
        home = type_and_wait(":home", "(App Home of @aroha.gor)")
        assert "Your open tasks" in home or "Your open tasks" in type_and_wait("", "Your open")
        canvas = type_and_wait(":canvas", "## Headline indicators")
        assert "# Gore District · Action Plan" in canvas and "## The next meeting" in canvas
        # A report is drafted after the reply: it is printed when it comes, with no more typing.
        type_and_wait("/report draft", "📎 file saved")
    finally:
        process.stdin.write(":quit\n")
        process.stdin.flush()
        process.wait(timeout=30)
        reader.join(timeout=10)
    out = "".join(seen)
    assert "Traceback" not in out and out.rstrip().endswith("Bye.")
