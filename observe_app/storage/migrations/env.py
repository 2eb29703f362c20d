"""Alembic environment: migrations run on the connection the app hands over, in batch mode."""

from alembic import context

from observe_app.domain.models import Base
from observe_app.storage.migrate import in_migration_transaction, include_object

config = context.config
connection = config.attributes["connection"]
# Every statement of a run belongs to one transaction that migrate.run_migrations opened;
# anywhere else, each CREATE or DROP would commit on its own and a run cut short would leave
# the schema half changed.
if not in_migration_transaction(connection):
    raise RuntimeError("migrations run only through observe_app.storage.migrate.run_migrations")
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
    compare_type=True,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
