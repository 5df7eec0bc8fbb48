"""`flask demo load`."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from tickets.accounts.models import ROLE_LABELS
from tickets.core.errors import DomainError
from tickets.demo import builder
from tickets.helpdesk.models import Status
from tickets.helpdesk.workflow import STATUS_LABELS

demo_cli = AppGroup("demo", help="Datos de demostración (noviembre de 2021).")


@demo_cli.command("load")
@click.option(
    "--if-empty",
    is_flag=True,
    help="Cargar solo si todavía no hay tickets; si los hay, omitir la carga sin error.",
)
def load_command(if_empty: bool) -> None:
    """Llena una base vacía con un noviembre de 2021 realista (tickets, personal, candidaturas)."""
    if if_empty and builder.has_tickets():
        click.echo("Ya hay tickets en la base de datos: se omitió la carga de demostración.")
        return
    try:
        result = builder.load(progress=True)
    except builder.DemoError as exc:
        raise click.ClickException(str(exc)) from exc
    except DomainError as exc:  # a plan the services refuse: a bug in the demo, said plainly
        detail = "; ".join(exc.fields.values()) or str(exc)
        raise click.ClickException(f"La carga de demostración se detuvo: {detail}") from exc
    for line in summary(result):
        click.echo(line)


def summary(result: builder.LoadResult) -> list[str]:
    """The few Spanish lines printed after a load; no password is ever among them."""
    by_status = " · ".join(
        f"{STATUS_LABELS[status]}: {result.by_status.get(status, 0)}" for status in Status
    )
    staff = ", ".join(f"{u.email} ({ROLE_LABELS[u.role]})" for u in result.staff)
    return [
        f"Datos de demostración cargados en {result.seconds:.1f} s.",
        f"{result.tickets} tickets recibidos en noviembre de 2021 — {by_status}.",
        f"{result.recent} tickets de las últimas horas, para ver los plazos (SLA) en marcha: "
        "unos a tiempo, otros en riesgo o vencidos.",
        f"Candidaturas independientes agregadas al catálogo: {result.candidacies_added}.",
        f"Personal de demostración: {staff}.",
        "Sus contraseñas son aleatorias y no se muestran; una persona administradora puede "
        "asignarles una nueva (véase docs/demo.md).",
    ]
