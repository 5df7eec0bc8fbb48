"""Login, logout, profile, the admins' user management, invitations and password resets."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_required, login_user, logout_user

from tickets.accounts import services, tokens
from tickets.accounts.auth import admin_required, current_actor, staff_required
from tickets.accounts.forms import (
    ForgotPasswordForm,
    InviteForm,
    LoginForm,
    PasswordForm,
    UserForm,
    organization_choices,
)
from tickets.accounts.models import Role, User
from tickets.catalogs.models import Organization
from tickets.core.errors import DomainError, ValidationFailed
from tickets.core.forms import choices, put_errors_on_form
from tickets.core.timeutil import long_datetime
from tickets.extensions import db, limiter
from tickets.helpdesk import queries as helpdesk_queries

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
    rows = list(
        db.session.scalars(sa.select(User).where(User.is_system.is_(False)).order_by(User.name))
    )
    pending = {user.id for user in rows if user.password_hash is None}
    return render_template("accounts/users.html", users=rows, pending=pending)


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


# --- Invitations and password resets by e-mail ------------------------------------------------

SAME_ANSWER = (
    "Si la dirección está registrada, enviamos un enlace para restablecer la contraseña. "
    "Revise su correo (también la carpeta de correo no deseado); el enlace vence en {hours} horas "
    "y sirve una sola vez."
)


@bp.route("/solicitantes/invitar", methods=["GET", "POST"])
@staff_required
def invite_requester():
    """Invite a requester by e-mail; `?ticket=<folio>` fills in the ticket's contact."""
    actor, folio = current_actor(), request.args.get("ticket", "").strip()
    form = InviteForm()
    ticket = helpdesk_queries.visible_ticket_or_404(actor, folio) if folio else None
    if ticket is not None and request.method == "GET":
        _fill_from_ticket(form, ticket)
    folio = ticket.folio if ticket is not None else ""
    form.organization_id.choices = organization_choices(
        request.args.get("q", ""), keep=_int_or_none(form.organization_id.data)
    )
    if form.validate_on_submit():
        try:
            invitation = services.invite_requester(
                actor, form.name.data, form.email.data, _int_or_none(form.organization_id.data)
            )
        except DomainError as exc:
            put_errors_on_form(form, exc.fields or {"email": str(exc)})
        else:
            flash(_invited_message(invitation), "success")
            return redirect(
                url_for("helpdesk.detail", folio=folio) if folio else url_for(".invite_requester")
            )
    return render_template("accounts/invite.html", form=form, folio=folio), (
        422 if form.errors else 200
    )


def _fill_from_ticket(form: InviteForm, ticket) -> None:
    form.name.data = ticket.contact_name
    form.email.data = ticket.contact_email
    form.organization_id.data = str(ticket.organization_id)


def _int_or_none(value) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() else None


def _invited_message(invitation: services.Invitation) -> str:
    verb = "Reenviamos la invitación" if invitation.resent else "Enviamos la invitación"
    return (
        f"{verb} a {invitation.user.email}. El enlace vence el "
        f"{long_datetime(invitation.expires_at)} (hora de la Ciudad de México)."
    )


@bp.route("/cuenta/activar/<token>", methods=["GET", "POST"])
def activate(token: str):
    """Public: an invited requester sets a password, and is signed in."""
    try:
        user = services.link_holder(tokens.INVITATION, token)
    except DomainError as exc:
        return _dead_link(exc, tokens.INVITATION)
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            user = services.activate_account(token, form.password.data)
        except ValidationFailed as exc:
            put_errors_on_form(form, exc.fields)
        except DomainError as exc:
            return _dead_link(exc, tokens.INVITATION)
        else:
            login_user(user)
            flash("Su cuenta quedó activada. Le damos la bienvenida a Mesa TIC.", "success")
            return redirect(url_for("index"))
    return _token_page("accounts/activate.html", form, user)


def _reset_address_limit() -> str:
    return current_app.config.get("PASSWORD_RESET_ADDRESS_LIMIT", "5 per hour")


def _submitted_address() -> str:
    """Throttle key: the address typed, so nobody floods one mailbox from many machines."""
    return "reset:" + request.form.get("email", "").strip().lower()


@bp.route("/recuperar", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_reset_address_limit, key_func=_submitted_address, methods=["POST"])
def forgot_password():
    """Public: ask for a reset link; the same answer whether or not the address is known."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        hours = current_app.config["PASSWORD_RESET_HOURS"]
        flash(SAME_ANSWER.format(hours=hours), "info")
        return redirect(url_for(".login"))
    status = 422 if form.errors else 200
    return render_template("accounts/forgot_password.html", form=form), status


@bp.route("/recuperar/<token>", methods=["GET", "POST"])
def reset_with_token(token: str):
    """Public: choose a new password from a reset link, then sign in with it."""
    try:
        user = services.link_holder(tokens.PASSWORD_RESET, token)
    except DomainError as exc:
        return _dead_link(exc, tokens.PASSWORD_RESET)
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password_with_link(token, form.password.data)
        except ValidationFailed as exc:
            put_errors_on_form(form, exc.fields)
        except DomainError as exc:
            return _dead_link(exc, tokens.PASSWORD_RESET)
        else:
            logout_user()  # whoever used this browser before: sign in again with the new password
            flash("Contraseña actualizada. Inicie sesión con su nueva contraseña.", "success")
            return redirect(url_for(".login"))
    return _token_page("accounts/reset_password.html", form, user)


def _token_page(template: str, form: PasswordForm, user: User):
    response = current_app.make_response(
        (render_template(template, form=form, user=user), 422 if form.errors else 200)
    )
    response.headers["Cache-Control"] = "no-store"  # the page's URL carries the token
    # same-origin, not no-referrer: the token never leaves the site either way, and over HTTPS
    # Flask-WTF refuses a form POST that arrives without a same-origin Referer.
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def _dead_link(exc: DomainError, purpose: str):
    """An expired, used or mangled link: say which, and how to get a new one."""
    invitation = purpose == tokens.INVITATION
    page = render_template("accounts/link_error.html", error=exc, invitation=invitation)
    response = current_app.make_response((page, exc.status))
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
