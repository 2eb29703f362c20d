"""The state of a live visit, apart from its widgets (no Qt): what waits to be saved."""
