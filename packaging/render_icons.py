"""Render resources/icons/observe.svg into the PNG sizes desktops and installers ask for.

Run after changing the SVG: `python packaging/render_icons.py`. The PNGs are committed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def main() -> int:
    app = QGuiApplication(sys.argv)  # noqa: F841  (QImage painting needs an application)
    renderer = QSvgRenderer(str(ICONS / "observe.svg"))
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        image.save(str(ICONS / f"observe-{size}.png"))
        if size == 256:  # Windows executable and installer icon (Qt's ico plugin)
            image.save(str(ICONS / "observe.ico"))
    print(f"wrote {len(SIZES)} PNGs and observe.ico to {ICONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
