"""The te reo catalogue keeps up with the code: every message marked in the code is in it,
no translation breaks a placeholder, and the compiled catalogue that ships is the
catalogue as written."""

from __future__ import annotations

import ast
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

FOLDERS = ("handlers", "scheduler", "slack_api", "ui")
FILES = ("bot/console.py",)
# Files whose text is for machines or for whoever runs the bot, not the groups' people.
NOT_FOR_PEOPLE = {"ui/ics.py", "ui/archive.py", "ui/i18n.py"}
WORDS = re.compile(r"[A-Za-z]{2,}[^\n]*\s|\s[^\n]*[A-Za-z]{2,}")
SENTENCE_MARKERS = {"_", "N_", "label", "plural"}
LOG_METHODS = {"debug", "info", "warning", "error", "exception", "critical", "log"}
LOGGERS = {"log", "logger", "logging"}
# Arguments that are patterns, names or keys, never text people read.
NOT_TEXT_CALLS = {
    "compile",
    "match",
    "search",
    "fullmatch",
    "sub",
    "text",
    "startswith",
    "endswith",
    "split",
    "replace",
    "get",
    "getenv",
    "strftime",
    "strptime",
}
NOT_TEXT_KEYWORDS = {
    "description",
    "action_id",
    "block_id",
    "callback_id",
    "value",
    "type",
    "style",
    "url",
    "loc",
    "filename",
    "filetype",
    "initial_value",
    "channel",
    "user",
    "kind",
}
PROGRAMMER_ERRORS = {
    "ValueError",
    "RuntimeError",
    "TypeError",
    "KeyError",
    "AssertionError",
    "LookupError",
    "NotImplementedError",
}


def _sentences_not_marked(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    docstrings = {
        node.body[0].value
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }

    def exempt(node: ast.AST) -> bool:
        child, parent = node, parents.get(node)
        while parent is not None:
            if isinstance(parent, ast.JoinedStr) and child is node:
                return True  # a piece of the f-string itself, checked as the whole
            if isinstance(parent, ast.Call):
                func = parent.func
                name = getattr(func, "id", None) or getattr(func, "attr", None)
                if name in SENTENCE_MARKERS:
                    return True
                if (
                    isinstance(func, ast.Attribute)
                    and name in LOG_METHODS
                    and getattr(func.value, "id", None) in LOGGERS
                ):
                    return True
                if name in NOT_TEXT_CALLS and child in parent.args:
                    return True
            if isinstance(parent, ast.keyword) and parent.arg in NOT_TEXT_KEYWORDS:
                return True
            if isinstance(parent, ast.Raise):
                exc = parent.exc.func if isinstance(parent.exc, ast.Call) else parent.exc
                if getattr(exc, "id", None) in PROGRAMMER_ERRORS:
                    return True
            if isinstance(parent, (ast.Assert, ast.Compare)):
                return True
            if isinstance(parent, ast.Subscript) and child is parent.slice:
                return True
            if isinstance(parent, ast.Dict) and child in parent.keys:
                return True
            if isinstance(parent, ast.Attribute) and parent.attr != "format":
                return True  # "…".join(…), "…".startswith: the text is the method's
            child, parent = parent, parents.get(parent)
        return False

    found = []
    for node in ast.walk(tree):
        if node in docstrings:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        elif isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
        else:
            continue
        if not WORDS.search(text) or text.lstrip().startswith("/"):
            continue  # a word or a key, or a command as typed (commands are English)
        if not exempt(node) and text not in ENGLISH_ON_PURPOSE:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {text[:70]!r}")
    return found


# Text deliberately not translated, with why.
ENGLISH_ON_PURPOSE = {
    # Examples of what to type: the parser reads English dates and times.
    "15/12/2026, 15 Dec, friday, next friday, tomorrow or in 2 weeks",
    "10:00, 10am or 2:30pm",
    "2013, 2013/14, H2 2026, Q3 2026, Term 2 2026, Jun 2026 or 30/6/2026",
    "advisory-bot (Social Sector Trials)",  # a document's author, a name
    "Table Grid",  # a Word table style's name
}


def _extracted(tmp_path: Path) -> set[str]:
    """What `pybabel extract`, as docs/translating.md runs it, finds in the code now."""
    out = tmp_path / "now.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "pyproject.toml",
         "-k", "N_", "-k", "label", "-k", "plural:2", "--no-location", "-o", str(out), "."],
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


def test_every_sentence_people_see_is_marked_for_the_catalogue() -> None:
    """A sentence, label or heading written in the code without `_()`, `label()` or `N_()`
    would never reach the catalogue, so a te reo reader would get English for ever."""
    paths = [p for folder in FOLDERS for p in sorted((ROOT / folder).rglob("*.py"))]
    paths += [ROOT / file for file in FILES]
    found = [
        line
        for path in paths
        if str(path.relative_to(ROOT)) not in NOT_FOR_PEOPLE
        for line in _sentences_not_marked(path)
    ]
    assert found == [], "mark these with _(), label() or N_() (see docs/translating.md)"


DATA_LAYER_ERRORS = {"UserError", "NotFound", "ClosedRecord", "PermissionDenied", "ParseError"}


def test_the_data_layer_marks_its_refusals_and_keeps_their_values_apart() -> None:
    """`raise NotFound(N_("There is no task T-{number}."), number=n)`, never an f-string:
    the message is looked up in the catalogue when it is shown, then filled in."""
    found = []
    for path in sorted((ROOT / "models").glob("*.py")):
        if path.name in ("backup.py", "demo.py"):  # for whoever runs the bot, at the CLI
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) in DATA_LAYER_ERRORS
                and node.args
                and not (
                    isinstance(node.args[0], ast.Call)
                    and getattr(node.args[0].func, "id", None) == "N_"
                )
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []
