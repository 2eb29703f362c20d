"""Where data lives and how it is kept: engine, migrations, backups, integrity checks."""
