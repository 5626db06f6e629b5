"""A draft written as Word (python-docx) for a Minister's office: A4 in New Zealand English,
real document properties, a running header naming the trial and period, page numbers,
tables with set column widths and status colours, overdue actions in red."""

from __future__ import annotations

import io
import re
from datetime import UTC
from typing import TYPE_CHECKING

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from ui.i18n import _

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from docx.table import _Cell
    from docx.text.paragraph import Paragraph

    from ui.documents import Draft, Table

LANGUAGE = "en-NZ"
AUTHOR = "advisory-bot (Social Sector Trials)"
ALERT_RED = RGBColor(0xB4, 0x23, 0x18)
MARGIN = Cm(2.2)
TEXT_WIDTH_CM = 21.0 - 2 * 2.2  # A4 less its margins


def _a4(document: DocumentObject) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = MARGIN
    section.top_margin = section.bottom_margin = Cm(2.0)


def _language(document: DocumentObject) -> None:
    """New Zealand English for the spelling checker, in the document's defaults."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is None:  # pragma: no cover - python-docx's template has them
        return
    run_properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    language = run_properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        run_properties.append(language)
    language.set(qn("w:val"), LANGUAGE)
    language.set(qn("w:eastAsia"), LANGUAGE)


def _properties(document: DocumentObject, draft: Draft) -> None:
    properties = document.core_properties
    properties.title = draft.title
    properties.subject = draft.subject
    properties.author = properties.last_modified_by = AUTHOR
    properties.keywords = _("{period_label}; Social Sector Trials; progress report").format(
        period_label=draft.period_label
    )
    properties.category = _("Progress report (draft)")
    properties.comments = draft.subtitle
    properties.language = LANGUAGE
    created = draft.created.astimezone(UTC).replace(tzinfo=None)  # python-docx writes UTC
    properties.created = properties.modified = created
    properties.last_printed = created
    properties.revision = 1


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that the reader's Word or LibreOffice fills in."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), ("end", None)):
        if kind is None:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)
        if kind == "separate":
            placeholder = OxmlElement("w:t")
            placeholder.text = "1"
            run._r.append(placeholder)


def _header_and_footer(document: DocumentObject, draft: Draft) -> None:
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.text = draft.running_header
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for run in header.runs:
        run.font.size = Pt(8)
        run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    document.styles["Footer"].font.size = Pt(8)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(_("Page "))
    _field(footer, "PAGE")
    footer.add_run(_(" of "))
    _field(footer, "NUMPAGES")


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _table(document: DocumentObject, spec: Table) -> None:
    table = document.add_table(rows=1, cols=len(spec.header))
    table.style = "Table Grid"
    table.autofit = False
    widths = spec.widths or [TEXT_WIDTH_CM / len(spec.header)] * len(spec.header)
    header_row = table.rows[0]
    flag = OxmlElement("w:tblHeader")  # the header row repeats on every page
    flag.set(qn("w:val"), "true")
    header_row._tr.get_or_add_trPr().append(flag)
    for cell, text in zip(header_row.cells, spec.header, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        _shade(cell, "D9D9D9")
    for row_index, row in enumerate(spec.rows):
        cells = table.add_row().cells
        for column, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.text = text
            fill = spec.fills.get((row_index, column))
            if fill:
                _shade(cell, fill)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)  # the grid LibreOffice reads
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):  # and the cells Word reads
            cell.width = Cm(width)
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
    document.add_paragraph()


def _bullet(document: DocumentObject, text: str, alert: re.Pattern[str]) -> None:
    """A bullet point, its alerts (`OVERDUE by 4 days`) in bold red."""
    paragraph = document.add_paragraph(style="List Bullet")
    position = 0
    for found in alert.finditer(text):
        paragraph.add_run(text[position : found.start()])
        run = paragraph.add_run(found.group(0))
        run.bold = True
        run.font.color.rgb = ALERT_RED
        position = found.end()
    paragraph.add_run(text[position:])


def to_docx(draft: Draft, *, alert: re.Pattern[str]) -> bytes:
    """The draft as a .docx file's bytes."""
    document = Document()
    _a4(document)
    _language(document)
    _properties(document, draft)
    _header_and_footer(document, draft)
    document.add_heading(draft.title, 0)
    document.add_paragraph(draft.subtitle)
    for section in draft.sections:
        document.add_heading(section.heading, min(section.level, 9))
        for paragraph in section.paragraphs:
            document.add_paragraph(paragraph)
        if section.table:
            _table(document, section.table)
        for bullet in section.bullets:
            _bullet(document, bullet, alert)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
