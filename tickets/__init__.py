"""Application factory: configuration, extensions, blueprints, error pages, CLI."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config_class: type | None = None, **overrides) -> Flask:
    """Build a configured app; tests pass TestingConfig and overrides.

    Nothing here touches the schema, starts a scheduler or calls the network: migrations are a
    deploy step (`flask db upgrade`) and jobs run in their own process.
    """
    from config import config_from_env

    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.from_object(config_class or config_from_env())
    app.config.update(overrides)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = (
            f"sqlite:///{Path(app.instance_path) / 'mesatic.db'}"
        )
    if not app.config.get("ATTACHMENT_DIR"):
        app.config["ATTACHMENT_DIR"] = str(Path(app.instance_path) / "attachments")
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY is not set; see README.md, Configuration")
    Path(app.instance_path).mkdir(exist_ok=True)
    register_proxy_fix(app)
    register_extensions(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_cli(app)
    register_template_helpers(app)
    return app


def register_proxy_fix(app: Flask) -> None:
    """Behind nginx every request comes from 127.0.0.1: trust X-Forwarded-For/-Proto from as
    many proxies as configured, so rate limits and logs see the client (docs/deploy.md)."""
    x_for, x_proto = app.config.get("PROXY_FIX_X_FOR", 0), app.config.get("PROXY_FIX_X_PROTO", 0)
    if x_for or x_proto:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=x_for, x_proto=x_proto, x_host=0)


def register_extensions(app: Flask) -> None:
    """Bind the extension singletons and the database connection settings."""
    from tickets import models  # noqa: F401  (every model registered before Alembic looks)
    from tickets.accounts.auth import init_login
    from tickets.core.db import include_object, render_item
    from tickets.core.dbsetup import configure_engine_events, end_read_only_requests_with_commit
    from tickets.core.security import register_security_headers
    from tickets.extensions import babel, bootstrap, csrf, db, limiter, migrate

    db.init_app(app)
    migrate.init_app(app, db, render_item=render_item, include_object=include_object)
    csrf.init_app(app)
    babel.init_app(
        app, locale_selector=lambda: "es_MX", timezone_selector=lambda: "America/Mexico_City"
    )
    bootstrap.init_app(app)
    limiter.init_app(app)
    init_login(app)
    register_security_headers(app)
    with app.app_context():
        configure_engine_events(db.engine)
    end_read_only_requests_with_commit(app)


def register_blueprints(app: Flask) -> None:
    """Each feature's views; imports stay here so importing `tickets` never imports views."""
    from tickets.accounts.views import bp as accounts_bp
    from tickets.catalogs.views import bp as catalogs_bp
    from tickets.dashboard.views import bp as dashboard_bp
    from tickets.helpdesk.views import bp as helpdesk_bp
    from tickets.jobs.views import bp as jobs_bp
    from tickets.portal.views import bp as portal_bp
    from tickets.prep.views import bp as prep_bp
    from tickets.reports.views import bp as reports_bp
    from tickets.sla.views import bp as sla_bp
    from tickets.training.views import bp as training_bp

    for blueprint in (
        accounts_bp,
        catalogs_bp,
        helpdesk_bp,
        portal_bp,
        prep_bp,
        training_bp,
        reports_bp,
        jobs_bp,
        dashboard_bp,
        sla_bp,
    ):
        app.register_blueprint(blueprint)
    app.add_url_rule("/", endpoint="index", view_func=_index)


def _index():
    """Staff land on the queue; everyone else on the login page."""
    from flask import redirect, url_for
    from flask_login import current_user

    if current_user.is_authenticated and current_user.is_staff:
        return redirect(url_for("helpdesk.queue"))
    if current_user.is_authenticated:
        return redirect(url_for("portal.my_requests"))
    return redirect(url_for("accounts.login"))


def register_error_handlers(app: Flask) -> None:
    """Spanish error pages; a DomainError that escapes a view becomes its 4xx, never a 500."""
    from tickets.core.errorpages import register

    register(app)


def register_cli(app: Flask) -> None:
    """`flask catalogs …`, `flask users …`, `flask tickets …`, `flask demo …`."""
    from tickets.accounts.cli import users_cli
    from tickets.backups.cli import backup_cli
    from tickets.catalogs.cli import catalogs_cli
    from tickets.demo.cli import demo_cli
    from tickets.helpdesk.cli import tickets_cli
    from tickets.jobs.cli import jobs_cli
    from tickets.notifications.cli import mail_cli
    from tickets.prep.cli import prep_cli
    from tickets.reports.cli import reports_cli

    groups = (catalogs_cli, users_cli, tickets_cli, demo_cli, mail_cli, prep_cli, reports_cli)
    for group in (*groups, jobs_cli, backup_cli):
        app.cli.add_command(group)

    @app.shell_context_processor
    def _shell():
        from tickets import models
        from tickets.extensions import db

        return {"db": db, "m": models}


def register_template_helpers(app: Flask) -> None:
    """Filters for Mexican dates and the labels of enums."""
    from tickets.core import templating

    templating.register(app)
