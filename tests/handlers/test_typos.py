"""A mistyped subcommand gets the nearest one, in every family."""

from __future__ import annotations

import pytest

from handlers import FAMILIES
from handlers.registry import Family
from models.errors import ParseError
from tests.conftest import GORE, LISA
from tests.harness.slack_requests import Slack


def test_a_typo_in_slack_is_answered_with_the_nearest_subcommand(gore: Slack) -> None:
    reply = gore.say("/task lsit", user=LISA, channel=GORE)
    assert reply.ephemeral and "Did you mean `/task list`?" in reply.text
    assert (
        "Did you mean `/meeting schedule`?"
        in gore.say("/meeting shedule 15/12 10am", user=LISA, channel=GORE).text
    )


@pytest.mark.parametrize(
    "family", [f for f in FAMILIES if f.otherwise is None], ids=lambda f: f.command
)
def test_every_family_suggests_its_nearest_subcommand(family: Family) -> None:
    sub = next(s for s in family.subs if len(s.name) >= 4)
    typo = sub.name[1] + sub.name[0] + sub.name[2:]  # two letters swapped
    with pytest.raises(ParseError, match=rf"Did you mean `{family.command} {sub.name}`"):
        family.route(typo)
