"""The house has floors and every import points down: `models` on the ground, then `ui`
(what people see and type), then `slack_api` (talking to Slack), then `handlers` and
`scheduler`, and the entry (`bot`, with the `simulator` the console uses) on top."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).parents[2]
FLOORS = {
    "models": 0,
    "ui": 1,
    "slack_api": 2,
    "handlers": 3,
    "scheduler": 3,
    "bot": 4,
    "simulator": 4,
}


def imports_of(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_no_floor_imports_one_above_it() -> None:
    upward = []
    for package, floor in FLOORS.items():
        for path in (ROOT / package).rglob("*.py"):
            for name in imports_of(path):
                top = name.split(".")[0]
                if FLOORS.get(top, -1) > floor:
                    upward.append(f"{path.relative_to(ROOT)} imports {name}")
    assert upward == []


def test_handlers_and_scheduler_keep_to_themselves() -> None:
    """Two packages on one floor: neither leans on the other."""
    crossing = [
        f"{path.relative_to(ROOT)} imports {name}"
        for package, other in (("handlers", "scheduler"), ("scheduler", "handlers"))
        for path in (ROOT / package).rglob("*.py")
        for name in imports_of(path)
        if name.split(".")[0] == other
    ]
    assert crossing == []


def test_the_simulator_stands_alone() -> None:
    """Only the console and the tests use it; it uses nothing of the bot's."""
    ours = set(FLOORS) - {"simulator"}
    leaning = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in (ROOT / "simulator").rglob("*.py")
        for name in imports_of(path)
        if name.split(".")[0] in ours
    ]
    assert leaning == []


def test_the_data_layer_speaks_of_no_slash_command() -> None:
    """The domain's errors name what is missing, never the command that would fix it."""
    worded = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in (ROOT / "models").glob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "`/" in line
    ]
    assert worded == []
