"""partial index for the supervisor dashboard

Revision ID: c4d5e6f7a8b9
Revises: b1d2e3f4a5b6
Create Date: 2026-11-26 14:15:00.000000

The dashboard's panels read only open tickets and only these columns; a partial index over the
open tickets serves them all without reading ticket rows (figures in docs/performance.md,
"Supervisor dashboard"). Closed tickets, nearly all of a large desk, never enter it.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4d5e6f7a8b9'
down_revision = 'b1d2e3f4a5b6'
branch_labels = None
depends_on = None

# A frozen copy of tickets.helpdesk.models.OPEN_TICKETS / OPEN_BOARD_COLUMNS.
OPEN_TICKETS = "status IN ('new', 'assigned', 'in_progress', 'waiting')"
COLUMNS = [
    'status', 'priority', 'requester_type', 'state_id', 'process_id', 'system_id', 'assignee_id',
    'first_response_at', 'first_response_risk_at', 'first_response_due_at',
    'resolution_risk_at', 'resolution_due_at', 'id',
]


def upgrade():
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.create_index(
            'ix_tickets_open_board',
            COLUMNS,
            unique=False,
            sqlite_where=sa.text(OPEN_TICKETS),
            postgresql_where=sa.text(OPEN_TICKETS),
        )


def downgrade():
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index('ix_tickets_open_board')
