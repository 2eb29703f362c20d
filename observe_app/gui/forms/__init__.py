"""Forms generated from ui/*.ui by tools/build_ui.py; do not edit the modules here."""
