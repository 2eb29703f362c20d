"""The protocol file format: JSON Schema validation, loading and the built-in protocols."""
