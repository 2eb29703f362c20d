"""PDF feedback summaries of observation cycles (ReportLab; no Qt)."""

from observe_app.reports.export import (
    ExportFailure,
    ExportResult,
    cycles_to_export,
    export_cycle,
    export_cycles,
    file_name,
)

__all__ = ["ExportFailure", "ExportResult", "cycles_to_export", "export_cycle", "export_cycles",
           "file_name"]
