"""`advisory-bot console --demo` through a real terminal conversation (a subprocess's
stdin and stdout): readable replies, numbered buttons, no raw JSON."""

from __future__ import annotations

import os
import subprocess
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
