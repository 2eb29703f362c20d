"""The PySide6 window: widgets, Qt item models and dialogs; reaches data through services only."""
