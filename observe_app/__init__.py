"""Observe: offline classroom peer observation."""

__version__ = "0.1.0"
