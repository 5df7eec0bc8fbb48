"""stored search vector on postgresql

Revision ID: 06dbeaf01e09
Revises: d30d343fda13
Create Date: 2026-11-26 11:57:33.114354

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '06dbeaf01e09'
down_revision = 'd30d343fda13'
branch_labels = None
depends_on = None


def upgrade():
    """PostgreSQL: index a stored tsvector instead of recomputing it from the text on each row."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_tickets_search")
    op.execute(
        "ALTER TABLE tickets ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS "
        "(to_tsvector('es_unaccent'::regconfig, coalesce(search_text, ''))) STORED"
    )
    op.execute("CREATE INDEX IF NOT EXISTS ix_tickets_search ON tickets USING gin (search_vector)")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_tickets_search")
    op.execute("ALTER TABLE tickets DROP COLUMN IF EXISTS search_vector")
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_tickets_search ON tickets "
        "USING gin (to_tsvector('es_unaccent'::regconfig, search_text))"
    )
