"""The te reo catalogue keeps up with the code: every message marked in the code is in it,
no translation breaks a placeholder, and the compiled catalogue that ships is the
catalogue as written."""

from __future__ import annotations

import gettext
import re
import string
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "ui" / "locale"
PO = LOCALE / "mi" / "LC_MESSAGES" / "advisory.po"
MO = LOCALE / "mi" / "LC_MESSAGES" / "advisory.mo"
MARKERS = ("_", "N_", "label")


def _extracted(tmp_path: Path) -> set[str]:
    """What `pybabel extract`, as docs/translating.md runs it, finds in the code now."""
    out = tmp_path / "now.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "pyproject.toml",
         "-k", "N_", "-k", "label", "--no-location", "-o", str(out), "."],
        cwd=ROOT, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    with out.open("rb") as file:
        return {str(m.id) for m in read_po(file) if m.id}


def _catalogue() -> dict[str, str]:
    with PO.open("rb") as file:
        return {str(m.id): str(m.string or "") for m in read_po(file) if m.id}


def _fields(text: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


def test_every_message_in_the_code_is_in_the_catalogue(tmp_path: Path) -> None:
    in_code = _extracted(tmp_path)
    assert len(in_code) > 50  # the extraction itself works
    missing = sorted(in_code - set(_catalogue()))
    assert missing == [], "run the pybabel steps in docs/translating.md for: " + repr(missing)
    stale = sorted(set(_catalogue()) - in_code)
    assert stale == [], f"in the catalogue but no longer in the code: {stale!r}"


def test_no_translation_breaks_a_placeholder() -> None:
    for message, translated in _catalogue().items():
        if not translated:
            continue
        assert _fields(translated) == _fields(message), (message, translated)
        values = {name: "x" for name in _fields(message)}
        translated.format(**values)  # well formed: no stray brace
        assert translated.strip(), message


def test_the_compiled_catalogue_is_the_catalogue_as_written() -> None:
    with MO.open("rb") as file:
        compiled = gettext.GNUTranslations(file)
    for message, translated in _catalogue().items():
        assert compiled.gettext(message) == (translated or message), message


def test_marked_text_is_never_an_f_string() -> None:
    """`_(f"…")` would look up a sentence that is never in the catalogue."""
    pattern = re.compile(r"\b(?:" + "|".join(MARKERS) + r")\(\s*f[\"']")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in ("bot", "handlers", "scheduler", "slack_api", "ui")
        for path in (ROOT / folder).rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert found == []


def test_no_module_that_translates_uses_underscore_as_a_variable() -> None:
    """`for _, x in …` or `x, _ = …` in a module that imports `_` would make a later
    `_("…")` there call whatever was unpacked."""
    imports = re.compile(r"^from ui\.i18n import .*\b_\b", re.MULTILINE)
    shadows = re.compile(r"(\bfor\s+_\s*[,\s]|\b_\s*,\s*\w+\s*(=|in\b)|,\s*_\s*(=|in\b)|^\s*_\s*=)")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in ("bot", "handlers", "scheduler", "slack_api", "ui")
        for path in (ROOT / folder).rglob("*.py")
        if imports.search(path.read_text())
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if shadows.search(line)
    ]
    assert found == []
