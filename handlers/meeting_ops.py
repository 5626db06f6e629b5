"""What the meeting handlers share: finding the meeting a command names, in this trial."""

from __future__ import annotations

from sqlmodel import Session

from handlers.context import Asker, in_this_trial
from models import meetings
from models.errors import ParseError
from models.tables import Meeting, Trial
from ui.i18n import _
from ui.parsing import Token, parse_reference


def meeting_here(
    asker: Asker, session: Session, tokens: list[Token], example: str, *, lock: bool = False
) -> tuple[Meeting, Trial]:
    if not tokens:
        raise ParseError(_("Say which meeting."), example=example)
    number = parse_reference(tokens[0].text, "M").number
    meeting = meetings.get_meeting(session=session, number=number, lock=lock)
    return meeting, in_this_trial(asker, session, meeting.trial_id, f"M-{number}")
