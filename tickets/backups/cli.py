"""`flask backup create`, `flask backup list`, `flask backup restore FILE --yes`."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

backup_cli = AppGroup("backup", help="Copias de seguridad de la base SQLite.")


@backup_cli.command("create")
def create_command() -> None:
    """Hace ahora una copia verificada de la base SQLite y aplica la rotación (BACKUP_KEEP)."""
    from tickets.backups import services
    from tickets.core.db import utcnow

    try:
        path = services.backup_sqlite(utcnow())
    except services.BackupRefused as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"Copia creada y verificada: {path} ({services.human_size(path.stat().st_size)})")


@backup_cli.command("list")
def list_command() -> None:
    """Las copias de BACKUP_DIR, de la más nueva a la más antigua."""
    from tickets.backups import services
    from tickets.core.timeutil import long_datetime

    backups = services.list_backups()
    folder = services.backup_dir()
    if not backups:
        click.echo(f"No hay copias en {folder}.")
        return
    click.echo(f"Copias en {folder} (se conservan {services.keep_count()}):")
    for backup in backups:
        size = services.human_size(backup.size)
        click.echo(f"  {backup.path.name} · {long_datetime(backup.taken_at)} · {size}")


@backup_cli.command("restore")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--yes",
    is_flag=True,
    help="Confirma que la web (gunicorn) y el programador (flask jobs run) están detenidos.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Restaura aunque un programador tenga tareas (solo si ese proceso ya no existe).",
)
def restore_command(file: Path, yes: bool, force: bool) -> None:
    """Reemplaza la base SQLite de la aplicación por la copia FILE (ruta o nombre en BACKUP_DIR).

    Antes detenga la web y el programador de tareas: restaurar con ellos en marcha mezclaría
    lo que escriben con la copia. Lo que había queda en BACKUP_DIR/antes-de-restaurar-….db.
    """
    from tickets.backups import services
    from tickets.core.db import utcnow
    from tickets.extensions import db

    target = _target()
    file = services.resolve_backup(file)
    try:
        revision = services.inspect_backup(file)
    except services.BackupRefused as exc:
        raise click.ClickException(exc.message) from exc
    busy = [] if force else _active_leases()
    if busy:
        raise click.ClickException(
            f"Un programador de tareas está activo ({'; '.join(busy)}). Deténgalo "
            "(systemctl stop mesatic-jobs) y repita; si ese proceso ya no existe, use --force."
        )
    if not yes:
        raise click.ClickException(
            f"«{file.name}» es una copia válida (versión de esquema {revision}). Restaurarla "
            f"reemplaza todo el contenido de {target}. Detenga antes la web (gunicorn) y el "
            "programador (flask jobs run) y repita con --yes."
        )
    db.session.remove()
    db.engine.dispose()  # this process's own pooled connections must not outlive the old file
    try:
        report = services.restore_sqlite(file, target, now=utcnow())
    except services.BackupRefused as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"Restaurada «{file.name}» en {target}: {report.tickets} tickets.")
    if report.safety_copy:
        click.echo(f"Lo que había quedó en {report.safety_copy}.")
    if not report.is_head:
        click.echo("La copia es de una versión anterior del esquema: ejecute `flask db upgrade`.")


def _target() -> Path:
    from tickets.backups import services

    if not services.is_sqlite():
        raise click.ClickException(
            "La base de datos es PostgreSQL: restaure con pg_restore "
            "(docs/deploy/backup-postgres.sh y docs/deploy.md)."
        )
    target = services.database_file()
    if target is None:
        message = "La base de datos está en memoria: no hay archivo que reemplazar."
        raise click.ClickException(message)
    return target


def _active_leases() -> list[str]:
    """Scheduler leases still valid in the database about to be replaced: someone is running."""
    from sqlalchemy.exc import SQLAlchemyError

    from tickets.core.db import utcnow
    from tickets.core.timeutil import short_datetime
    from tickets.extensions import db
    from tickets.jobs import leases

    now = utcnow()
    try:
        current = leases.current()
    except SQLAlchemyError:  # no such table, or a damaged file: nothing tells us who runs
        db.session.rollback()
        return []
    return [
        f"{lease.holder} tiene «{name}» hasta {short_datetime(lease.expires_at)}"
        for name, lease in sorted(current.items())
        if lease.holder and lease.expires_at and lease.expires_at > now
    ]
