"""`flask reports monthly 2021-11 --format txt|json|docx|xlsx|csv [-o FILE]`."""

from __future__ import annotations

import errno
import json
from collections.abc import Callable
from pathlib import Path

import click
from flask.cli import AppGroup

from tickets.core.errors import DomainError

reports_cli = AppGroup("reports", help="Informe mensual.")

Renderer = Callable[[dict], bytes]


def render_json(data: dict) -> bytes:
    """The report data as indented UTF-8 JSON (accents kept, not escaped)."""
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def render_txt(data: dict) -> bytes:
    """The report as plain text in the layout of the seed's form."""
    header, matters = data["header"], data["relevant_matters"]
    lines = [
        data["title"],
        "",
        f"Informe de {data['month_label']}",
        "",
        _line("Dirección Ejecutiva o Unidad Técnica", header["unit"]),
        _line("Entidad Federativa", header["states"]),
        _line("Fecha de visita", header["visit_date"]),
        _line("Junta", header["junta"]),
        _line("Distritos", header["districts"]),
        _line("Objetivo de la visita", header["objective"]),
        "",
        "Asuntos relevantes tratados o a tratar en las visitas realizadas.",
        "",
        _line(
            "Asuntos relacionados con la firma de Convenios de Apoyo y Colaboración",
            matters["agreements"],
        ),
        _line("Asuntos en particular", matters["particular_matters"]),
        _line("Áreas de oportunidad", matters["opportunity_areas"]),
        _line("Actividad ordinaria", matters["ordinary_activity"]),
        _line("PyCIPEF", matters["pycipef"]),
        _line("Con qué proyecto de la CIP se relaciona", matters["cip_project"]),
        "",
        *[paragraph["text"] for paragraph in data["narrative"]],
        "",
        _line("Total de personal capacitado", str(data["people_trained"])),
        "",
        _line("Observaciones", data["observations"]),
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _line(label: str, value: str) -> str:
    value = (value or "").strip()
    return f"{label}: {value}" if value else f"{label}:"


def _export(fmt: str) -> Renderer:
    """DOCX, XLSX or CSV from tickets.reports.render; the ticket list as the system actor."""

    def render(data: dict) -> bytes:
        from tickets.accounts.services import system_user
        from tickets.reports import render as exports
        from tickets.reports import services

        actor = system_user()
        return exports.render(fmt, data, lambda: services.ticket_rows(actor, data["month"]))

    return render


# Format → renderer(data) -> bytes. The exports register DOCX, XLSX and CSV here.
RENDERERS: dict[str, Renderer] = {
    "txt": render_txt,
    "json": render_json,
    "docx": _export("docx"),
    "xlsx": _export("xlsx"),
    "csv": _export("csv"),
}

# Why a file could not be written, in Spanish (the operating system says it in English).
_OS_REASONS = {
    errno.ENOENT: "la carpeta no existe",
    errno.EACCES: "no hay permiso de escritura",
    errno.EISDIR: "es una carpeta",
    errno.ENOSPC: "no queda espacio en el disco",
}

# Formats written to the terminal when no -o is given; the rest need a file.
TEXT_FORMATS = {"txt", "json", "csv"}


@reports_cli.command("monthly")
@click.argument("month")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(RENDERERS)),
    default="txt",
    show_default=True,
    help="Formato de salida.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Archivo donde guardar el informe (sin esta opción, txt y json salen en pantalla).",
)
def monthly_command(month: str, fmt: str, output: Path | None) -> None:
    """Genera el informe mensual de MONTH (AAAA-MM, p. ej. 2021-11) a partir de los datos."""
    from tickets.reports import queries, services
    from tickets.reports.build import parse_month

    if output is None and fmt not in TEXT_FORMATS:
        raise click.UsageError(f"El formato {fmt} es binario: indique el archivo con -o ARCHIVO.")
    try:
        span = parse_month(month)
        data = services.report_data(span.key, queries.current_report(span.key))  # approved: frozen
    except DomainError as exc:
        raise click.ClickException(str(exc)) from exc
    content = RENDERERS[fmt](data)
    if output is None:
        click.echo(content.decode("utf-8"), nl=False)
        return
    try:
        output.write_bytes(content)
    except OSError as exc:
        reason = _OS_REASONS.get(exc.errno, exc.strerror)
        raise click.ClickException(f"No se pudo escribir {output}: {reason}.") from exc
    click.echo(f"Informe de {data['month_label']} guardado en {output}.", err=True)
