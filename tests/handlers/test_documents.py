"""Report drafts fit for a Minister's office, opened as Word documents: A4 in New Zealand
English, real properties, a header naming the trial and period, page numbers, an executive
summary first, a readable roll-up with status colours, overdue actions flagged."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.shared import RGBColor

from simulator.web_api import FakeSlack
from tests.conftest import DIRECTOR, DIRECTORATE, GORE, LISA
from tests.harness.slack_requests import Slack


@pytest.fixture
def programme(gore: Slack) -> Iterator[Slack]:
    """Gore District with an overdue action and a headline indicator; Rotorua exited."""
    gore.say("/task add Rock-On truancy approach due 20/11/2026", user=LISA, channel=GORE)
    gore.say("/task add Youth hub lease due 15/12", user=LISA, channel=GORE)
    gore.say(
        "/indicator add Truancy cases closed unit % baseline 18 (2011) outcome Reduce truancy",
        user=LISA,
        channel=GORE,
    )
    gore.say("/indicator record I-1 96 for 2013", user=LISA, channel=GORE)
    gore.say("/group setup Rotorua District", user=DIRECTOR, channel="CROTORUA")
    gore.say("/group status exited", user=DIRECTOR, channel="CROTORUA")
    yield gore


def _opened(fake_slack: FakeSlack, count: int) -> DocumentObject:
    return Document(io.BytesIO(fake_slack.files_named(".docx", count=count)[-1]))


def _check_the_page_and_its_properties(document: DocumentObject, subject: str) -> None:
    section = document.sections[0]
    size = (round(section.page_width.mm), round(section.page_height.mm))
    assert size == (210, 297)  # A4, not US Letter
    properties = document.core_properties
    assert properties.subject == subject and "H2 2026" in properties.keywords
    assert properties.author != "python-docx" and properties.title.endswith("(draft)")
    created = properties.created
    assert (created.year, created.month, created.day) == (2026, 11, 22)  # 09:30 NZ is 20:30 UTC
    assert properties.language == "en-NZ"
    language = document.styles.element.find(f"{qn('w:docDefaults')}//{qn('w:lang')}")
    assert language is not None and language.get(qn("w:val")) == "en-NZ"
    header = section.header.paragraphs[0].text
    assert subject in header and "Wed 1 Jul 2026 to Thu 31 Dec 2026" in header
    footer = section.footer.paragraphs[0]._p.xml
    assert " PAGE " in footer and " NUMPAGES " in footer
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "Executive summary"


def _overdue_runs(document: DocumentObject) -> list[str]:
    return [
        run.text
        for paragraph in document.paragraphs
        for run in paragraph.runs
        if run.bold and run.font.color.rgb == RGBColor(0xB4, 0x23, 0x18)
    ]


def test_a_trials_draft_is_a4_with_its_summary_first_and_overdue_flagged(
    programme: Slack, fake_slack: FakeSlack
) -> None:
    programme.say("/report draft", user=LISA, channel=GORE)
    document = _opened(fake_slack, 1)
    _check_the_page_and_its_properties(document, "Gore District")
    text = [p.text for p in document.paragraphs]
    summary = text[text.index("Executive summary") :]
    assert summary[1] == "Status: Red. 1 of 2 open tasks are overdue."
    assert summary[3].startswith("OVERDUE by 3 days: T-1 Rock-On truancy approach")
    assert "OVERDUE by 3 days" in _overdue_runs(document)
    indicators = document.tables[0]
    assert [c.text for c in indicators.rows[1].cells][2] == (
        "None in this period; last recorded 96% (2013)"  # 2013 is not H2 2026's latest
    )


def test_the_national_draft_has_a_readable_roll_up_with_status_colours(
    programme: Slack, fake_slack: FakeSlack
) -> None:
    programme.say("/report draft all", user=DIRECTOR, channel=DIRECTORATE)
    document = _opened(fake_slack, 1)
    _check_the_page_and_its_properties(document, "Social Sector Trials")
    rollup = next(t for t in document.tables if t.rows[0].cells[1].text == "Status")
    widths = [column.width for column in rollup.columns]
    assert widths[-1] > 2 * widths[3]  # reasons get room; numbers stay narrow
    assert round(sum(w.mm for w in widths)) <= 210 - 2 * 22  # within A4 less its margins
    rows = {row.cells[0].text: row.cells for row in rollup.rows[1:]}
    assert set(rows) == {"Gore District", "Rotorua District (exited)"}
    fills = {
        name: cells[1]._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) for name, cells in rows.items()
    }
    assert rows["Gore District"][1].text == "Red" and fills["Gore District"] == "F4C7C3"
    assert rows["Rotorua District (exited)"][1].text == "Exited"
    assert fills["Rotorua District (exited)"] == "E0E0E0"
    assert rollup.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
