"""`flask users create` and `flask users ensure-admin`."""

from __future__ import annotations

import os

import click
from flask.cli import AppGroup

from tickets.accounts import services
from tickets.accounts.models import Role
from tickets.core.errors import DomainError

users_cli = AppGroup("users", help="Cuentas de usuario.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.OPERATOR.value)
@click.option("--organization-id", type=int, default=None)
@click.option("--password", default=None, help="Sin este valor se genera una contraseña.")
def create_command(email, name, role, organization_id, password) -> None:
    """Crea una cuenta y muestra su contraseña una sola vez."""
    data = services.UserData(email, name, Role(role), organization_id)
    try:
        user, password = services.create_user(None, data, password)
    except DomainError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Cuenta creada: {user.email} ({user.role.value}). Contraseña: {password}")


@users_cli.command("ensure-admin")
def ensure_admin_command() -> None:
    """Crea la primera cuenta de administración si no hay ninguna (ADMIN_EMAIL, ADMIN_PASSWORD)."""
    if services.has_admin():
        return
    email = os.environ.get("ADMIN_EMAIL", "admin@mesatic.mx")
    data = services.UserData(email, "Administración Mesa TIC", Role.ADMIN)
    try:
        user, password = services.create_user(None, data, os.environ.get("ADMIN_PASSWORD") or None)
    except DomainError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo("=" * 64)
    click.echo("Primera cuenta de administración (la contraseña se muestra solo esta vez):")
    click.echo(f"  correo:     {user.email}")
    click.echo(f"  contraseña: {password}")
    click.echo("=" * 64)
