"""Baseline: a bare Flask page rendering 50 rows of the same tickets table.

No Mesa TIC code runs here: no login, no session, no ORM, no extensions. One indexed query
(`ORDER BY received_at DESC LIMIT 50`, served by ix_tickets_received_at) through a pooled
SQLAlchemy Core engine, rendered by Jinja into an HTML table.

    DATABASE_URL=sqlite:////abs/path/bench/out/mesatic_1m.db \\
        .venv/bin/gunicorn -w 2 -b 127.0.0.1:8002 --chdir bench 'bare:app'
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from flask import Flask, render_template_string

PAGE = """<!doctype html>
<html lang="es-MX">
<head><meta charset="utf-8"><title>Tickets recientes</title></head>
<body>
<h1>Tickets recientes</h1>
<table>
<thead><tr><th>Folio</th><th>Asunto</th><th>Estado</th><th>Prioridad</th><th>Recibido</th></tr>
</thead>
<tbody>
{% for r in rows %}<tr><td>{{ r.folio }}</td><td>{{ r.subject }}</td><td>{{ r.status }}</td>
<td>{{ r.priority }}</td><td>{{ r.received_at }}</td></tr>
{% endfor %}</tbody>
</table>
</body>
</html>
"""

QUERY = sa.text(
    "SELECT folio, subject, status, priority, received_at FROM tickets "
    "ORDER BY received_at DESC LIMIT 50"
)


def _url() -> str:
    url = os.environ["DATABASE_URL"]
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def create_app() -> Flask:
    app = Flask(__name__)
    engine = sa.create_engine(_url())

    @app.get("/")
    def recent():
        with engine.connect() as conn:
            rows = conn.execute(QUERY).all()
        return render_template_string(PAGE, rows=rows)

    return app


app = create_app()
