"""Use cases over a Session: plain Python, no Qt. All writes to the database happen here.

Each function takes a Session and plain values and returns read models (frozen dataclasses);
the caller owns the transaction (`Database.transaction()`).
"""
