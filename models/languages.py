"""Who reads which language: each person's own choice, and each channel's (its trial's)."""

from __future__ import annotations

from sqlalchemy import bindparam, func, null
from sqlmodel import Session, col, select

from models.audit import record
from models.db import rows
from models.tables import PersonSetting, Trial
from models.types import Language, utcnow


def of_person(*, session: Session, user_id: str) -> Language:
    setting = session.get(PersonSetting, user_id)
    return Language(setting.language) if setting else Language.ENGLISH


_PERSON = (
    select(PersonSetting.language)
    .where(PersonSetting.slack_user_id == bindparam("user_id"))
    .scalar_subquery()
)
_CHANNEL = (
    select(func.coalesce(Trial.language, Language.ENGLISH.value))
    .where(Trial.channel_id == bindparam("channel_id"))
    .scalar_subquery()
)
# Every command asks both, so the statements are built once.
_OF_ASKER_IN_CHANNEL = select(_PERSON, _CHANNEL)
_OF_ASKER_ELSEWHERE = select(_PERSON, null())


def of_asker(
    *, session: Session, user_id: str, channel_id: str | None
) -> tuple[Language, Language | None]:
    """The person's language, and the channel's (its trial's: English unless set; None for
    a channel linked to no trial, and for a DM), in one statement."""
    if channel_id:
        row = rows(
            session, _OF_ASKER_IN_CHANNEL, {"user_id": user_id, "channel_id": channel_id}
        ).one()
    else:
        row = rows(session, _OF_ASKER_ELSEWHERE, {"user_id": user_id}).one()
    return (
        Language(row[0]) if row[0] else Language.ENGLISH,
        Language(row[1]) if row[1] else None,
    )


def of_people(*, session: Session, user_ids: set[str]) -> dict[str, Language]:
    """Each person's language (English for those who never chose), in one query."""
    found = session.exec(
        select(PersonSetting).where(col(PersonSetting.slack_user_id).in_(user_ids))
    ).all()
    chosen = {s.slack_user_id: Language(s.language) for s in found}
    return {user_id: chosen.get(user_id, Language.ENGLISH) for user_id in user_ids}


def set_person(*, session: Session, user_id: str, language: Language) -> Language:
    """Set a person's own language; returns what it was."""
    setting = session.get(PersonSetting, user_id)
    before = Language(setting.language) if setting else Language.ENGLISH
    if setting is None:
        setting = PersonSetting(slack_user_id=user_id)
    setting.language, setting.updated_at = language.value, utcnow()
    session.add(setting)
    return before


def set_channel(
    *, session: Session, trial: Trial, language: Language, actor_user_id: str
) -> Language:
    """Set what the bot posts in the trial's channel in; returns what it was."""
    before = Language(trial.language) if trial.language else Language.ENGLISH
    trial.language = language.value
    session.add(trial)
    record(
        session=session,
        actor_user_id=actor_user_id,
        action="trial.language",
        entity="trial",
        entity_id=trial.id,
        trial_id=trial.id,
        detail={"from": before.value, "to": language.value},
    )
    return before
