"""Login, logout, profile and the admins' user management."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_required, login_user, logout_user

from tickets.accounts import services
from tickets.accounts.auth import admin_required, current_actor
from tickets.accounts.forms import LoginForm, PasswordForm, UserForm
from tickets.accounts.models import Role, User
from tickets.catalogs.models import Organization
from tickets.core.errors import DomainError, ValidationFailed
from tickets.core.forms import choices, put_errors_on_form
from tickets.extensions import db, limiter

bp = Blueprint("accounts", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    """Sign in with e-mail and password; the same message for every failure."""
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            return redirect(_safe_next() or url_for("index"))
        flash("Correo o contraseña incorrectos, o la cuenta está desactivada.", "danger")
    return render_template("accounts/login.html", form=form), (422 if form.is_submitted() else 200)


def _safe_next() -> str | None:
    target = request.args.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else None


@bp.post("/logout")
@login_required
def logout():
    """Sign out and forget the session."""
    logout_user()
    flash("Sesión cerrada.", "info")
    return redirect(url_for("accounts.login"))


@bp.route("/cuenta", methods=["GET", "POST"])
@login_required
def profile():
    """Your own account: see it and change your password."""
    actor = current_actor()
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            services.set_password(actor, actor, form.password.data)
        except ValidationFailed as exc:
            put_errors_on_form(form, exc.fields)
        else:
            flash("Contraseña actualizada.", "success")
            return redirect(url_for(".profile"))
    status = 422 if form.errors else 200
    return render_template("accounts/profile.html", form=form, user=actor), status


@bp.get("/admin/usuarios")
@admin_required
def users():
    """Every account, staff first."""
    rows = db.session.scalars(sa.select(User).where(User.is_system.is_(False)).order_by(User.name))
    return render_template("accounts/users.html", users=list(rows))


def _user_form(obj=None) -> UserForm:
    form = UserForm(obj=obj)
    orgs = db.session.execute(
        sa.select(Organization.id, Organization.name)
        .where(Organization.is_active.is_(True))
        .order_by(Organization.name)
    )
    form.organization_id.choices = choices([("", "—"), *orgs])
    if obj is not None and request.method == "GET":
        form.role.data = obj.role.value
        form.organization_id.data = str(obj.organization_id or "")
    return form


def _user_data(form: UserForm) -> services.UserData:
    org = form.organization_id.data
    return services.UserData(
        form.email.data or "",
        form.name.data or "",
        Role(form.role.data),
        int(org) if org and org.isdigit() else None,
        form.is_enabled.data,
    )


@bp.route("/admin/usuarios/nuevo", methods=["GET", "POST"])
@admin_required
def new_user():
    """Create an account; the generated password is shown once."""
    form = _user_form()
    if form.validate_on_submit():
        try:
            user, password = services.create_user(current_actor(), _user_data(form))
        except DomainError as exc:
            put_errors_on_form(form, exc.fields or {"email": str(exc)})
        else:
            flash(f"Cuenta creada para {user.email}. Contraseña inicial: {password}", "success")
            return redirect(url_for(".users"))
    return render_template("accounts/user_form.html", form=form, user=None), (
        422 if form.errors else 200
    )


@bp.route("/admin/usuarios/<int:user_id>", methods=["GET", "POST"])
@admin_required
def edit_user(user_id: int):
    """Edit or disable an account (accounts are never deleted)."""
    user = db.get_or_404(User, user_id)
    if user.is_system:
        return render_template("errors/error.html", status=404, message="No encontrado."), 404
    form = _user_form(user)
    if form.validate_on_submit():
        try:
            services.update_user(current_actor(), user, _user_data(form))
        except DomainError as exc:
            db.session.rollback()
            put_errors_on_form(form, exc.fields or {"email": str(exc)})
        else:
            flash("Cuenta actualizada.", "success")
            return redirect(url_for(".users"))
    return render_template("accounts/user_form.html", form=form, user=user), (
        422 if form.errors else 200
    )


@bp.post("/admin/usuarios/<int:user_id>/contrasena")
@admin_required
def reset_password(user_id: int):
    """Generate a new password for an account and show it once."""
    user = db.get_or_404(User, user_id)
    try:
        password = services.reset_password(current_actor(), user)
    except DomainError as exc:
        flash(str(exc), "danger")
    else:
        flash(
            f"Nueva contraseña de {user.email}: {password} (se muestra solo esta vez).", "success"
        )
    return redirect(url_for(".edit_user", user_id=user.id))
