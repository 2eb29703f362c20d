"""Alembic environment: migrations run on the connection the app hands over, in batch mode."""

from alembic import context

from observe_app.domain.models import Base
from observe_app.storage.migrate import include_object

config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
    compare_type=True,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
