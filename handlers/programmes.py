"""`/programme`: the programmes and services a trial funds (a truancy officer, a youth
hub), and its coordination items; their providers, funding and contracts."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, col

from handlers.context import Asker, in_this_trial, linked
from handlers.permissions import Action
from handlers.registry import Family, Sub
from models import groups, programmes, tasks
from models.errors import ParseError, UserError
from models.programmes import ItemRow
from models.tables import TITLE_LENGTH, ProgrammeItem, Task, Trial
from models.tasks import TaskRow, task_rows_query
from ui.blocks import programmes as blocks
from ui.blocks.common import Message, notice
from ui.formatting import format_date, format_money, mention, said
from ui.i18n import N_, _
from ui.parsing import (
    Token,
    join,
    parse_amount,
    parse_date,
    parse_reference,
    parse_title,
    split_keywords,
)

ADD_EXAMPLE = (
    '/programme add Truancy officer provider "Hokonui Rūnanga" funding $120,000 '
    "until 30/6/2027 outcome Reduce truancy"
)
KEYWORDS = {"provider", "funding", "from", "until", "outcome"}


def programme_here(
    asker: Asker, session: Session, tokens: list[Token], example: str, *, lock: bool = False
) -> tuple[ProgrammeItem, Trial]:
    """The programme a command names, if it is of a trial the person may see from here."""
    if not tokens:
        raise ParseError(_("Say which programme."), example=example)
    number = parse_reference(tokens[0].text, "P").number
    item = programmes.get_item(session=session, number=number, lock=lock)
    return item, in_this_trial(asker, session, item.trial_id, f"P-{number}")


def row_of(session: Session, item: ProgrammeItem) -> ItemRow:
    (row,) = programmes.rows(session=session, trial_ids=[item.trial_id], item_id=item.id)
    return row


def _in_order(start: date | None, end: date | None, example: str) -> None:
    """A contract ends on or after it starts."""
    if start and end and end < start:
        raise ParseError(
            _("The contract can't end ({date}) before it starts ({date2}).").format(
                date=format_date(end), date2=format_date(start)
            ),
            example=example,
        )


def _values(asker: Asker, keywords: dict[str, list[Token]], example: str) -> dict[str, Any]:
    """The fields typed after their keywords, parsed (the outcome is matched later)."""
    today = asker.services.today()
    values: dict[str, Any] = {}
    if "provider" in keywords:
        values["provider"] = parse_title(
            join(keywords["provider"]), what="provider", limit=TITLE_LENGTH
        )
    if "funding" in keywords:
        values["funding_cents"] = parse_amount(join(keywords["funding"]), example=example)
    for word, column in (("from", "from_date"), ("until", "until_date")):
        if word in keywords:
            values[column] = parse_date(join(keywords[word]), today=today)
    if "outcome" in keywords:
        values["outcome"] = parse_title(
            join(keywords["outcome"]), what="outcome", limit=TITLE_LENGTH
        )
    _in_order(values.get("from_date"), values.get("until_date"), example)
    return values


def add(asker: Asker, tokens: list[Token]) -> Message:
    """Lead or chair: a programme or service, or (`coordination`) one of the trial's own
    roles and structures."""
    coordination = bool(tokens) and tokens[-1].is_word("coordination")
    head, keywords = split_keywords(tokens[:-1] if coordination else tokens, KEYWORDS)
    name = parse_title(join(head), what=_("programme name"), limit=TITLE_LENGTH)
    values = _values(asker, keywords, ADD_EXAMPLE)
    with asker.services.database.session() as session:
        group, trial = linked(asker, session)
        asker.require(Action.MANAGE_PROGRAMMES, group)
        outcome_name = values.pop("outcome", None)
        outcome = (
            tasks.outcome_for(
                session=session, trial=trial, name=outcome_name, actor_user_id=asker.user_id
            )
            if outcome_name
            else None
        )
        item = programmes.add(
            session=session,
            trial=trial,
            name=name,
            actor_user_id=asker.user_id,
            outcome=outcome,
            coordination=coordination,
            **values,
        )
        row = row_of(session, item)
    kind = _("coordination item") if coordination else "programme"
    return notice(
        _(":seedling: {person} added the {kind} {item_line}.").format(
            person=mention(asker.user_id),
            kind=kind,
            item_line=blocks.item_line(row, asker.services.today()),
        ),
        in_channel=True,
    )


def list_items(asker: Asker, tokens: list[Token]) -> Message:
    """Anyone in the channel: the trial's programmes, coordination items and ended ones."""
    if tokens:
        raise ParseError(_("`/programme list` takes nothing after it."), example="/programme list")
    today = asker.services.today()
    with asker.services.database.session(write=False) as session:
        _ignored, trial = linked(asker, session)
        rows = programmes.rows(session=session, trial_ids=[trial.id])  # type: ignore[list-item]
    return blocks.programme_list(trial.name, rows, programmes.funding(rows, today), today)


def show(asker: Asker, tokens: list[Token]) -> Message:
    """A programme with its contract, funding, outcome, review decision and tasks."""
    example = "/programme show P-4"
    if len(tokens) > 1:
        raise ParseError(_("Name one programme."), example=example)
    with asker.services.database.session(write=False) as session:
        item, _ignored = programme_here(asker, session, tokens, example)
        row = row_of(session, item)
        select_rows, _ignored = task_rows_query()
        found = [
            TaskRow(*r)
            for r in session.execute(
                select_rows.where(col(Task.programme_item_id) == item.id).order_by(col(Task.id))
            ).all()
        ]
    return blocks.programme_card(row, found, asker.services.today())


def set_field(asker: Asker, tokens: list[Token]) -> Message:
    """Lead or chair: change one field of a programme."""
    example = '/programme set P-4 provider "Te Rūnanga o Ngāi Tahu"'
    fields = ", ".join(programmes.FIELDS)
    if len(tokens) < 3:
        raise ParseError(
            _("Say the programme, the field ({fields}) and its new value.").format(fields=fields),
            example=example,
        )
    word = tokens[1].text.lower()
    if word not in programmes.FIELDS:
        raise ParseError(
            _("“{text}” is not something a programme has. Choose one of: {fields}.").format(
                text=tokens[1].text[:40], fields=fields
            ),
            example=example,
        )
    column = programmes.FIELDS[word]
    typed = tokens[2:]
    if word == "name":
        value: Any = parse_title(join(typed), what=_("programme name"), limit=TITLE_LENGTH)
    else:
        value = _values(asker, {word: typed}, example).get(
            column if word != "outcome" else "outcome"
        )
    with asker.services.database.session() as session:
        item, trial = programme_here(asker, session, tokens[:1], example, lock=True)
        group = groups.load_group(session=session, user_id=asker.user_id, trial=trial)
        asker.require(Action.MANAGE_PROGRAMMES, group)
        if word == "outcome":
            value = tasks.outcome_for(
                session=session, trial=trial, name=value, actor_user_id=asker.user_id
            ).id
        start = value if column == "from_date" else item.from_date
        end = value if column == "until_date" else item.until_date
        _in_order(start, end, example)
        programmes.change(
            session=session, item=item, column=column, value=value, actor_user_id=asker.user_id
        )
        row = row_of(session, item)
    return notice(
        _("{person} changed the {word} of {item_line}.").format(
            person=mention(asker.user_id),
            word=word,
            item_line=blocks.item_line(row, asker.services.today()),
        ),
        in_channel=True,
    )


def end(asker: Asker, tokens: list[Token]) -> Message:
    """Lead or chair: the programme has ended (today, or on the date given)."""
    example = "/programme end P-4 30/6/2026"
    today = asker.services.today()
    on = parse_date(join(tokens[1:]), today=today) if len(tokens) > 1 else today
    with asker.services.database.session() as session:
        item, trial = programme_here(asker, session, tokens[:1], example, lock=True)
        group = groups.load_group(session=session, user_id=asker.user_id, trial=trial)
        asker.require(Action.MANAGE_PROGRAMMES, group)
        if item.from_date and on < item.from_date:
            raise ParseError(
                _("P-{item} started on {date}; it can't end before that.").format(
                    item=item.id, date=format_date(item.from_date)
                ),
                example=example,
            )
        programmes.end(session=session, item=item, on=on, actor_user_id=asker.user_id)
        funding = format_money(item.funding_cents) if item.funding_cents is not None else None
    funded = f" ({funding})" if funding else ""
    return notice(
        _(
            "{person} ended *P-{item}* {item2}{funded} on {date}. Its contract reminders stop."
        ).format(
            person=mention(asker.user_id),
            item=item.id,
            item2=said(item.name),
            funded=funded,
            date=format_date(on),
        ),
        in_channel=True,
    )


FAMILY = Family(
    command="/programme",
    description="The programmes and services the trial funds, and its coordination items",
    about=N_(
        "The programmes and services the trial funds (providers, funding, contracts) and "
        "its coordination items."
    ),
    default="list",
    subs=(
        Sub(
            "add",
            add,
            (
                (
                    '/programme add Truancy officer provider "Hokonui Rūnanga" funding 120k '
                    "from 1/7/2025 until 30/6/2027 outcome Reduce truancy",
                    N_("a programme or service; amounts in NZ dollars ($120,000 or 120k)."),
                ),
                (
                    "/programme add Trial lead role funding $95,000 coordination",
                    N_("one of the trial's own roles and structures."),
                ),
            ),
            who=N_("Lead or chair"),
            changes=True,
        ),
        Sub(
            "list",
            list_items,
            (("/programme list", N_("Programmes, coordination items and funding.")),),
        ),
        Sub(
            "show",
            show,
            (("/programme show P-4", N_("One programme: contract, funding, outcome and tasks.")),),
        ),
        Sub(
            "set",
            set_field,
            (
                (
                    "/programme set P-4 until 31/12/2027",
                    N_("change its provider, funding, from, until, outcome or name."),
                ),
            ),
            who=N_("Lead or chair"),
            changes=True,
        ),
        Sub(
            "end",
            end,
            (
                (
                    "/programme end P-4 30/6/2026",
                    N_("it has ended (today if no date); its reminders stop."),
                ),
            ),
            who=N_("Lead or chair"),
            changes=True,
        ),
    ),
)


def programme_of_trial(session: Session, trial: Trial, number: int) -> ProgrammeItem:
    """The programme a task names (`programme P-4`): one of this trial's."""
    item = programmes.get_item(session=session, number=number)
    if item.trial_id != trial.id:
        raise UserError(
            _("P-{number} belongs to another trial, not {trial}.").format(
                number=number, trial=said(trial.name)
            )
        )
    return item


def programme_text(item: ProgrammeItem | None) -> str | None:
    """How a task card names its programme."""
    return f"*P-{item.id}* {said(item.name, 150)}" if item is not None else None
