"""`flask tickets import`."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

import click
from flask.cli import AppGroup
from tqdm import tqdm

from tickets.core.errors import DomainError

tickets_cli = AppGroup("tickets", help="Tickets: importación de bitácoras históricas.")

# Below this many rows an import takes a second or two and a bar would only flicker.
PROGRESS_MIN_ROWS = 1000


@tickets_cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Importa las filas válidas y lista las inválidas (sin esta opción, una fila con "
    "error detiene toda la importación).",
)
@click.option(
    "--batch-size",
    type=click.IntRange(1, 50000),
    default=2000,
    show_default=True,
    help="Filas por transacción.",
)
@click.option(
    "--max-errors",
    type=click.IntRange(0),
    default=200,
    show_default=True,
    help="Errores que se muestran (0: todos).",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Barra de avance en stderr (por omisión, en archivos de más de 1,000 filas).",
)
def import_command(
    file: Path, skip_invalid: bool, batch_size: int, max_errors: int, progress: bool | None
) -> None:
    """Importa una bitácora histórica de tickets (CSV UTF-8 o XLSX); ver docs/import.md."""
    from tickets.accounts.services import system_user
    from tickets.helpdesk.importer import import_file

    try:
        result = import_file(
            system_user(),
            file,
            skip_invalid=skip_invalid,
            batch_size=batch_size,
            progress=_bars(progress),
        )
    except DomainError as exc:
        raise click.ClickException(str(exc)) from exc
    shown = result.errors if max_errors == 0 else result.errors[:max_errors]
    for error in shown:
        click.echo(str(error))
    if len(shown) < len(result.errors):
        click.echo(f"… y {len(result.errors) - len(shown)} errores más.")
    if result.refused:
        click.echo("No se importó nada: corrija las filas con error o use --skip-invalid.")
    click.echo(result.summary())
    if result.refused:
        raise click.exceptions.Exit(1)


def _bars(enabled: bool | None):
    """tqdm bars on stderr, so stdout keeps only the summary."""

    @contextmanager
    def bar(description: str, total: int):
        show = enabled if enabled is not None else total >= PROGRESS_MIN_ROWS
        with tqdm(
            total=total, desc=description, unit=" filas", file=sys.stderr, disable=not show
        ) as progress:
            yield progress

    return bar
