"""A periodic report for one funder, as PDF and as DOCX: the period's approved reports, the
final beneficiaries by sex, the logframe with current values, and that funder's budget lines
against what was spent. In the reader's language; every text from users is written as text."""

import io

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.shared import Cm, Pt

from core.numbers import formatted, money
from core.pdf import static_fetcher
from projects.selectors import project_for_page
from reporting.funder_reports import FunderReport, funder_of_report, funder_report
from reporting.selectors import period_of

from .apps import pdf_renderer_available

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _report(request: HttpRequest, pk: int, period_pk: int, funder_pk: int) -> FunderReport:
    project = project_for_page(request.user, pk)
    period = period_of(project, period_pk)
    return funder_report(project, period, funder_of_report(request.user, project, funder_pk))


def _filename(report: FunderReport, extension: str) -> str:
    return f"report-{report.project.code}-{report.period.pk}-{report.funder.pk}.{extension}"


@login_required
def funder_report_pdf(
    request: HttpRequest, pk: int, period_pk: int, funder_pk: int
) -> HttpResponse:
    report = _report(request, pk, period_pk, funder_pk)
    if not pdf_renderer_available():
        return HttpResponse(_("PDF files cannot be made on this server."), status=503)
    from weasyprint import HTML

    html = render_to_string(
        "reports/funder_period.html",
        {"report": report, "generated_at": timezone.now(), "for_pdf": True},
        request,
    )
    base = request.build_absolute_uri("/")
    pdf = HTML(string=html, url_fetcher=static_fetcher(base), base_url=base).write_pdf(
        pdf_variant="pdf/ua-1"
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "pdf")}"'
    return response


@login_required
def funder_report_docx(
    request: HttpRequest, pk: int, period_pk: int, funder_pk: int
) -> HttpResponse:
    report = _report(request, pk, period_pk, funder_pk)
    response = HttpResponse(write_docx(report), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "docx")}"'
    return response


def write_docx(report: FunderReport) -> bytes:
    project, period = report.project, report.period
    document = Document()
    document.core_properties.title = _("Report on %(period)s for %(funder)s") % {
        "period": period.name,
        "funder": report.funder.name,
    }
    document.core_properties.language = get_language() or "en"
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Cm(1.8))
    document.styles["Normal"].font.size = Pt(10)

    document.add_heading(project.translated("title"), level=0)
    document.add_paragraph(
        _("Report on %(period)s (%(start)s to %(end)s) for %(funder)s")
        % {
            "period": period.name,
            "start": date_format(period.start),
            "end": date_format(period.end),
            "funder": report.funder.name,
        }
    )
    document.add_paragraph(
        _("Approved content only. Made on %(when)s.")
        % {"when": date_format(timezone.localtime(), "DATETIME_FORMAT")}
    )

    document.add_heading(_("Narrative"), level=1)
    if not report.reports:
        document.add_paragraph(_("No approved report on this period yet."))
    for written in report.reports:
        document.add_heading(written.organisation.name, level=2)
        for question, answer in written.answers():
            document.add_heading(question, level=3)
            document.add_paragraph(answer)
        attached = written.files.all()
        if attached:
            document.add_heading(_("Photos and documents, on the portal"), level=3)
            for item in attached:
                document.add_paragraph(
                    f"{item.name}: {item.caption}" if item.caption else item.name,
                    style="List Bullet",
                )

    document.add_heading(_("Final beneficiaries"), level=1)
    document.add_paragraph(
        _("Women: %(women)s · men: %(men)s")
        % {
            "women": "—" if report.women is None else formatted(report.women),
            "men": "—" if report.men is None else formatted(report.men),
        }
    )

    document.add_heading(_("Logframe"), level=1)
    heads = [
        _("Level"),
        _("Result"),
        _("Indicator"),
        _("Baseline"),
        _("Target"),
        _("Current value"),
        _("Current value as of"),
    ]
    rows = [
        [
            row.level,
            row.result,
            f"{row.indicator.code} {row.indicator.translated('name')}",
            ""
            if row.baseline is None
            else formatted(row.baseline) + (f" ({row.baseline_year})" if row.baseline_year else ""),
            "" if row.target is None else formatted(row.target),
            "" if row.current is None else formatted(row.current),
            "" if row.as_of is None else date_format(row.as_of),
        ]
        for row in report.logframe
    ]
    _table(document, heads, rows)

    document.add_heading(_("Budget against expenditure"), level=1)
    if not report.lines:
        document.add_paragraph(
            _("%(funder)s's funding has no budget lines.") % {"funder": report.funder.name}
        )
    else:
        heads = [
            _("Year"),
            _("Budget line"),
            _("Budgeted"),
            _("Spent in the period"),
            _("Spent to date"),
            _("Currency"),
        ]
        rows = [
            [
                str(row.line.year),
                row.line.name,
                money(row.line.amount),
                money(row.spent_in_period),
                money(row.spent_to_date),
                row.line.currency,
            ]
            for row in report.lines
        ]
        rows += [
            [
                "",
                _("Total"),
                money(total.budgeted),
                money(total.spent_in_period),
                money(total.spent_to_date),
                total.currency,
            ]
            for total in report.totals
        ]
        _table(document, heads, rows)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def _table(document: DocxDocument, heads: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(heads))
    table.style = "Table Grid"
    for cell, head in zip(table.rows[0].cells, heads, strict=True):
        cell.text = head
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = value
