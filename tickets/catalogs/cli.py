"""`flask catalogs load`."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from tickets.catalogs.loader import load_catalogs

catalogs_cli = AppGroup("catalogs", help="Catálogos: entidades, distritos, OPL, procesos…")


@catalogs_cli.command("load")
def load_command() -> None:
    """Carga los catálogos incluidos en el paquete (idempotente)."""
    click.echo(str(load_catalogs()))
