"""`flask prep import`."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from tickets.core.errors import DomainError

prep_cli = AppGroup("prep", help="Seguimiento del PREP: simulacros y operación.")


@prep_cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Importa las filas válidas y lista las inválidas (sin esta opción, una fila con "
    "error detiene toda la importación).",
)
def import_command(file: Path, skip_invalid: bool) -> None:
    """Importa simulacros y operaciones del PREP (CSV UTF-8 o XLSX); ver docs/prep.md."""
    from tickets.accounts.services import system_user
    from tickets.prep.importer import import_file

    try:
        result = import_file(system_user(), file, skip_invalid=skip_invalid)
    except DomainError as exc:
        raise click.ClickException(str(exc)) from exc
    for error in result.errors:
        click.echo(str(error))
    for change in result.changes:
        click.echo(change)
    if result.refused:
        click.echo("No se importó nada: corrija las filas con error o use --skip-invalid.")
    click.echo(result.summary())
    if result.refused:
        raise click.exceptions.Exit(1)
