"""Monthly report pages: the list of months, the report, its edit form, approval and files."""

from __future__ import annotations

import io

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for

from tickets.accounts.auth import current_actor, roles_required, staff_required
from tickets.accounts.models import Role
from tickets.core.errors import Conflict, DomainError, ValidationFailed
from tickets.core.forms import flash_form_errors, put_errors_on_form
from tickets.reports import render, services
from tickets.reports.forms import MonthPickerForm, ReportForm, VersionedForm
from tickets.reports.models import ReportStatus

bp = Blueprint("reports", __name__, url_prefix="/informes")

supervisor_required = roles_required(Role.ADMIN, Role.SUPERVISOR)


@bp.context_processor
def _template_helpers() -> dict:
    """Labels the report templates share with the DOCX renderer."""
    return {
        "report_status": services.STATUS_LABELS,
        "month_label": render.month_label,
        "header_rows": render.HEADER_ROWS,
        "relevant_heading": render.RELEVANT_HEADING,
        "relevant_columns": render.RELEVANT_COLUMNS,
    }


@bp.get("/")
@staff_required
def index():
    """Months with a report and their status; a month picker opens any month."""
    form = MonthPickerForm(request.args)
    status = 200
    if "mes" in request.args:
        if form.validate():
            return redirect(url_for(".detail", month=form.mes.data))
        status = 422
    context = {"reports": services.months_with_reports(), "suggested": services.previous_month()}
    return render_template("reports/index.html", form=form, **context), status


@bp.get("/<month>")
@staff_required
def detail(month: str):
    """The report in the form's structure, its figures and charts, versions and actions."""
    month, report = _month_and_version(month)
    actor = current_actor()
    context = _document_context(month, report)
    context.update(
        versions=services.versions(month),
        modified=report is not None and services.is_data_modified(report),
        can_edit=services.can_edit_reports(actor),
        action_form=VersionedForm(formdata=None, version=report.version_id if report else 0),
        is_current=report is None or report.status is not ReportStatus.SUPERSEDED,
    )
    return render_template("reports/detail.html", **context)


@bp.get("/<month>/imprimir")
@staff_required
def print_view(month: str):
    """The report alone, for the browser's print dialog (print.css)."""
    month, report = _month_and_version(month)
    return render_template("reports/print.html", **_document_context(month, report))


@bp.get("/<month>/descargar/<fmt>")
@staff_required
def download(month: str, fmt: str):
    """DOCX, XLSX or CSV: an approved version's frozen file, a draft's rendered now."""
    month, report = _month_and_version(month)
    document = services.document(current_actor(), month, fmt, report)
    return send_file(
        io.BytesIO(document.content),
        mimetype=render.FORMATS[fmt],
        as_attachment=True,
        download_name=document.filename,
        max_age=0,
    )


@bp.route("/<month>/editar", methods=["GET", "POST"])
@supervisor_required
def edit(month: str):
    """Free fields and adjusted wording of the month's draft; a refused form keeps the text."""
    month = services.parse_month(month)
    report = services.current_version(month)
    if report is not None and report.status is ReportStatus.APPROVED:
        flash("El informe está aprobado: reábralo para hacer cambios.", "warning")
        return redirect(url_for(".detail", month=month))
    form, status = ReportForm(), 200
    generated = services.generated_texts(month)
    if form.validate_on_submit():
        try:
            services.save_draft(
                current_actor(), month, form.values(), form.overrides(), form.version.data
            )
        except (ValidationFailed, Conflict) as exc:
            put_errors_on_form(form, exc.fields or {"": str(exc)})
            status = exc.status
        else:
            flash("Borrador del informe guardado.", "success")
            return redirect(url_for(".detail", month=month))
    elif not form.is_submitted():
        form.fill(services.ReportFields.of(report), generated, _overrides(report))
        form.version.data = report.version_id if report is not None else 0
    status = 422 if form.errors and status == 200 else status
    context = {"form": form, "month": month, "report": report, "generated": generated}
    return render_template("reports/edit.html", **context), status


@bp.post("/<month>/aprobar")
@supervisor_required
def approve(month: str):
    """Freeze the month's draft: its data and its documents."""
    month = services.parse_month(month)
    form = VersionedForm()
    if form.validate_on_submit():
        _attempt(
            "Informe aprobado. Sus datos y documentos quedaron fijos.",
            lambda: services.approve_month(current_actor(), month, form.version.data),
        )
    else:
        flash_form_errors(form)
    return redirect(url_for(".detail", month=month))


@bp.post("/<month>/reabrir")
@supervisor_required
def reopen(month: str):
    """Turn the approved version into a new draft version; the approved one stays."""
    month = services.parse_month(month)
    form = VersionedForm()
    report = services.current_version(month)
    if report is None:
        flash("Ese mes aún no tiene un informe que reabrir.", "danger")
    elif form.validate_on_submit():
        _attempt(
            f"Se abrió la versión {report.version + 1} como borrador; la versión "
            f"{report.version} sigue disponible.",
            lambda: services.reopen(current_actor(), report, expected_version=form.version.data),
        )
    else:
        flash_form_errors(form)
    return redirect(url_for(".detail", month=month))


def _month_and_version(text: str):
    """The month from the URL and the version asked for (?version=N) or the current one."""
    month = services.parse_month(text)
    number = request.args.get("version", type=int)
    if number is None:
        return month, services.current_version(month)
    return month, services.version_of(month, number)


def _document_context(month: str, report) -> dict:
    data = services.report_data(month, report)
    totals = data["totals"]
    return {
        "month": month,
        "report": report,
        "data": data,
        "by_state": render.with_shares(totals["by_state"]),
        "by_requester_type": render.with_shares(totals["by_requester_type"]),
        "by_system": render.with_shares(totals["by_system"]),
        "by_process": render.with_shares(totals["by_process"]),
        "day_chart": render.day_chart(totals["by_day"]),
    }


def _overrides(report) -> dict:
    return dict(report.wording_overrides or {}) if report is not None else {}


def _attempt(done: str, operation) -> None:
    """Run one report action and flash its outcome; a refused action flashes the reason."""
    try:
        operation()
    except DomainError as exc:
        flash(str(exc), "danger")
    else:
        flash(done, "success")
