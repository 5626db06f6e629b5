"""A trial's handover archive: a `.zip` of open formats. Each kind of record as CSV and
JSON, the latest report draft (Word and Markdown), and a README that lists every file
with its SHA-256, so whoever keeps the records can check nothing changed."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from models.archive import Sheet
from ui.exports import csv_bytes
from ui.formatting import format_datetime

README = "README.md"


@dataclass(frozen=True)
class Archive:
    filename: str
    content: bytes
    checksums: dict[str, str]  # every file but the README → its SHA-256


def _json(sheet: Sheet) -> bytes:
    body = {"kind": sheet.name, "about": sheet.about, "columns": sheet.columns, "rows": sheet.rows}
    return (json.dumps(body, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _readme(
    trial_name: str, sheets: list[Sheet], files: dict[str, bytes], made: datetime, tz: ZoneInfo
) -> str:
    lines = [
        f"# {trial_name}: the records of its advisory group",
        "",
        f"Made by advisory-bot on {format_datetime(made, tz)} ({tz.key} time). Each kind of "
        "record is here twice, as CSV (UTF-8, opens in Excel) and as JSON; times are UTC "
        "(ISO 8601), dates are the trial's own. Rows refer to each other by id: a task's "
        "`owner_member_id` is the `id` of a row in `members.csv`, and `T-12` is the task "
        "whose `id` is 12. Funding is in New Zealand cents.",
        "",
        "## Records",
        "",
        "| kind | rows | what |",
        "|---|---|---|",
        *(f"| {s.name} | {len(s.rows)} | {s.about} |" for s in sheets),
        "",
        "## Files and their SHA-256",
        "",
        "Check one with `sha256sum <file>` (Linux), `shasum -a 256 <file>` (macOS) or "
        "`Get-FileHash <file>` (Windows).",
        "",
        "| file | bytes | SHA-256 |",
        "|---|---|---|",
        *(
            f"| {name} | {len(content):,} | `{hashlib.sha256(content).hexdigest()}` |"
            for name, content in files.items()
        ),
        "",
    ]
    return "\n".join(lines)


def build(
    *,
    trial_name: str,
    stem: str,
    sheets: list[Sheet],
    report: dict[str, bytes],
    made: datetime,
    tz: ZoneInfo,
) -> Archive:
    """The archive of one trial's records. `report`: file name → the report draft."""
    files: dict[str, bytes] = {}
    for sheet in sheets:
        files[f"{sheet.name}.csv"] = csv_bytes(
            sheet.columns,
            [["" if row[c] is None else row[c] for c in sheet.columns] for row in sheet.rows],
        )
        files[f"{sheet.name}.json"] = _json(sheet)
    files.update(report)
    readme = _readme(trial_name, sheets, files, made, tz).encode("utf-8")
    buffer = io.BytesIO()
    local = made.astimezone(tz)
    stamp = (local.year, local.month, local.day, local.hour, local.minute, local.second)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in {README: readme, **files}.items():
            info = zipfile.ZipInfo(f"{stem}/{name}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return Archive(
        filename=f"{stem}.zip",
        content=buffer.getvalue(),
        checksums={name: hashlib.sha256(content).hexdigest() for name, content in files.items()},
    )
