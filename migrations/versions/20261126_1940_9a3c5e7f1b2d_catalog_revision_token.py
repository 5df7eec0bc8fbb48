"""catalog revision token

Revision ID: 9a3c5e7f1b2d
Revises: 7ff8bf15ef06
Create Date: 2026-11-26 19:40:00.000000

A one-row table whose token triggers replace on every change to a catalog table, and to a
person's name, role or status: workers keep the queue filter's choices while it stays the
same. Frozen copy of tickets/catalogs/revision.py's ddl() as of this revision.
"""

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "9a3c5e7f1b2d"
down_revision = "7ff8bf15ef06"
branch_labels = None
depends_on = None

SQLITE_DDL = [
    "INSERT INTO catalog_revision (id, token) VALUES (1, random()) ON CONFLICT (id) DO NOTHING",
    "CREATE TRIGGER IF NOT EXISTS states_revision_insert AFTER INSERT ON states BEGIN UPDATE catalog_revision SET token = random() WHERE id = 1; END",
    "CREATE TRIGGER IF NOT EXISTS states_revision_update AFTER UPDATE ON states BEGIN UPDATE catalog_revision SET token = random() WHERE id = 1; END",
    "CREATE TRIGGER IF NOT EXISTS states_revision_delete AFTER DELETE ON states BEGIN UPDATE catalog_revision SET token = random() WHERE id = 1; END",
    "CREATE TRIGGER IF NOT EXISTS districts_revision_insert AFTER INSERT ON districts BEGIN UPDATE catalog_revision SET token = random() WHERE id = 1; END",
    "CREATE TRIGGER IF NOT EXISTS districts_revision_update AFTER UPDATE ON districts BEGIN UPDATE catalog_revision SET token = random() WHERE id = 1; END",
    "CREATE TRIGGER IF NOT EXISTS districts_revision_delete AFTER DELETE ON districts BEGIN UPDATE catalog_revision SET token = random() WHERE id = 1; END",
    "CREATE TRIGGER IF NOT EXISTS parties_revision_insert AFTER INSERT ON parties BEGIN UPDATE catalog_revision SET token = random() WHERE id = 1; END",
    "CREATE TRIGGER IF NOT EXISTS parties_revision_update AFTER UPDATE ON parties BEGIN UPDATE catalog_revision SET token = random() WHERE id = 1; END",
    "CREATE TRIGGER IF NOT EXISTS parties_revision_delete AFTER DELETE ON parties BEGIN UPDATE catalog_revision SET token = random() WHERE id = 1; END",
    "CREATE TRIGGER IF NOT EXISTS organizations_revision_insert AFTER INSERT ON organizations BEGIN UPDATE catalog_revision SET token = random() WHERE id = 1; END",
    "CREATE TRIGGER IF NOT EXISTS organizations_revision_update AFTER UPDATE ON organizations BEGIN UPDATE catalog_revision SET token = random() WHERE id = 1; END",
    "CREATE TRIGGER IF NOT EXISTS organizations_revision_delete AFTER DELETE ON organizations BEGIN UPDATE catalog_revision SET token = random() WHERE id = 1; END",
    "CREATE TRIGGER IF NOT EXISTS electoral_processes_revision_insert AFTER INSERT ON electoral_processes BEGIN UPDATE catalog_revision SET token = random() WHERE id = 1; END",
    "CREATE TRIGGER IF NOT EXISTS electoral_processes_revision_update AFTER UPDATE ON electoral_processes BEGIN UPDATE catalog_revision SET token = random() WHERE id = 1; END",
    "CREATE TRIGGER IF NOT EXISTS electoral_processes_revision_delete AFTER DELETE ON electoral_processes BEGIN UPDATE catalog_revision SET token = random() WHERE id = 1; END",
    "CREATE TRIGGER IF NOT EXISTS elections_revision_insert AFTER INSERT ON elections BEGIN UPDATE catalog_revision SET token = random() WHERE id = 1; END",
    "CREATE TRIGGER IF NOT EXISTS elections_revision_update AFTER UPDATE ON elections BEGIN UPDATE catalog_revision SET token = random() WHERE id = 1; END",
    "CREATE TRIGGER IF NOT EXISTS elections_revision_delete AFTER DELETE ON elections BEGIN UPDATE catalog_revision SET token = random() WHERE id = 1; END",
    "CREATE TRIGGER IF NOT EXISTS systems_revision_insert AFTER INSERT ON systems BEGIN UPDATE catalog_revision SET token = random() WHERE id = 1; END",
    "CREATE TRIGGER IF NOT EXISTS systems_revision_update AFTER UPDATE ON systems BEGIN UPDATE catalog_revision SET token = random() WHERE id = 1; END",
    "CREATE TRIGGER IF NOT EXISTS systems_revision_delete AFTER DELETE ON systems BEGIN UPDATE catalog_revision SET token = random() WHERE id = 1; END",
    "CREATE TRIGGER IF NOT EXISTS categories_revision_insert AFTER INSERT ON categories BEGIN UPDATE catalog_revision SET token = random() WHERE id = 1; END",
    "CREATE TRIGGER IF NOT EXISTS categories_revision_update AFTER UPDATE ON categories BEGIN UPDATE catalog_revision SET token = random() WHERE id = 1; END",
    "CREATE TRIGGER IF NOT EXISTS categories_revision_delete AFTER DELETE ON categories BEGIN UPDATE catalog_revision SET token = random() WHERE id = 1; END",
    "CREATE TRIGGER IF NOT EXISTS users_revision_insert AFTER INSERT ON users BEGIN UPDATE catalog_revision SET token = random() WHERE id = 1; END",
    "CREATE TRIGGER IF NOT EXISTS users_revision_update AFTER UPDATE OF name, role, is_enabled, is_system ON users BEGIN UPDATE catalog_revision SET token = random() WHERE id = 1; END",
    "CREATE TRIGGER IF NOT EXISTS users_revision_delete AFTER DELETE ON users BEGIN UPDATE catalog_revision SET token = random() WHERE id = 1; END",
]

POSTGRES_DDL = [
    "INSERT INTO catalog_revision (id, token) VALUES (1, floor(random() * 9007199254740991)::bigint) ON CONFLICT (id) DO NOTHING",
    "CREATE OR REPLACE FUNCTION catalog_revision_new_token() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE catalog_revision SET token = floor(random() * 9007199254740991)::bigint WHERE id = 1; RETURN NULL; END $$",
    "CREATE OR REPLACE TRIGGER states_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON states FOR EACH STATEMENT EXECUTE FUNCTION catalog_revision_new_token()",
    "CREATE OR REPLACE TRIGGER districts_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON districts FOR EACH STATEMENT EXECUTE FUNCTION catalog_revision_new_token()",
    "CREATE OR REPLACE TRIGGER parties_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON parties FOR EACH STATEMENT EXECUTE FUNCTION catalog_revision_new_token()",
    "CREATE OR REPLACE TRIGGER organizations_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organizations FOR EACH STATEMENT EXECUTE FUNCTION catalog_revision_new_token()",
    "CREATE OR REPLACE TRIGGER electoral_processes_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON electoral_processes FOR EACH STATEMENT EXECUTE FUNCTION catalog_revision_new_token()",
    "CREATE OR REPLACE TRIGGER elections_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON elections FOR EACH STATEMENT EXECUTE FUNCTION catalog_revision_new_token()",
    "CREATE OR REPLACE TRIGGER systems_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON systems FOR EACH STATEMENT EXECUTE FUNCTION catalog_revision_new_token()",
    "CREATE OR REPLACE TRIGGER categories_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON categories FOR EACH STATEMENT EXECUTE FUNCTION catalog_revision_new_token()",
    "CREATE OR REPLACE TRIGGER users_revision AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF name, role, is_enabled, is_system ON users FOR EACH STATEMENT EXECUTE FUNCTION catalog_revision_new_token()",
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS states_revision_insert",
    "DROP TRIGGER IF EXISTS states_revision_update",
    "DROP TRIGGER IF EXISTS states_revision_delete",
    "DROP TRIGGER IF EXISTS districts_revision_insert",
    "DROP TRIGGER IF EXISTS districts_revision_update",
    "DROP TRIGGER IF EXISTS districts_revision_delete",
    "DROP TRIGGER IF EXISTS parties_revision_insert",
    "DROP TRIGGER IF EXISTS parties_revision_update",
    "DROP TRIGGER IF EXISTS parties_revision_delete",
    "DROP TRIGGER IF EXISTS organizations_revision_insert",
    "DROP TRIGGER IF EXISTS organizations_revision_update",
    "DROP TRIGGER IF EXISTS organizations_revision_delete",
    "DROP TRIGGER IF EXISTS electoral_processes_revision_insert",
    "DROP TRIGGER IF EXISTS electoral_processes_revision_update",
    "DROP TRIGGER IF EXISTS electoral_processes_revision_delete",
    "DROP TRIGGER IF EXISTS elections_revision_insert",
    "DROP TRIGGER IF EXISTS elections_revision_update",
    "DROP TRIGGER IF EXISTS elections_revision_delete",
    "DROP TRIGGER IF EXISTS systems_revision_insert",
    "DROP TRIGGER IF EXISTS systems_revision_update",
    "DROP TRIGGER IF EXISTS systems_revision_delete",
    "DROP TRIGGER IF EXISTS categories_revision_insert",
    "DROP TRIGGER IF EXISTS categories_revision_update",
    "DROP TRIGGER IF EXISTS categories_revision_delete",
    "DROP TRIGGER IF EXISTS users_revision_insert",
    "DROP TRIGGER IF EXISTS users_revision_update",
    "DROP TRIGGER IF EXISTS users_revision_delete",
]

POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS states_revision ON states",
    "DROP TRIGGER IF EXISTS districts_revision ON districts",
    "DROP TRIGGER IF EXISTS parties_revision ON parties",
    "DROP TRIGGER IF EXISTS organizations_revision ON organizations",
    "DROP TRIGGER IF EXISTS electoral_processes_revision ON electoral_processes",
    "DROP TRIGGER IF EXISTS elections_revision ON elections",
    "DROP TRIGGER IF EXISTS systems_revision ON systems",
    "DROP TRIGGER IF EXISTS categories_revision ON categories",
    "DROP TRIGGER IF EXISTS users_revision ON users",
    "DROP FUNCTION IF EXISTS catalog_revision_new_token()",
]


def upgrade():
    op.create_table(
        "catalog_revision",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("token", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_revision")),
    )
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": SQLITE_DDL, "postgresql": POSTGRES_DDL}.get(dialect, []):
        op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(dialect, []):
        op.execute(statement)
    op.drop_table("catalog_revision")
