"""The data model: SQLAlchemy typed models and enums (no Qt)."""
