"""Draw the application icon's PNG sizes from its SVG (run after editing the SVG).

    QT_QPA_PLATFORM=offscreen python packaging/render_icons.py

Writes ``resources/icons/hicolor/NxN/apps/kalshi-fix-workstation.png`` for every size in
:data:`workstation.resources.ICON_SIZES`, the layout of the freedesktop.org hicolor theme, so
installing the icons is one copy. The PNGs are committed; the build does not redraw them.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # after the platform is chosen
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from workstation.resources import APP_ID, ICON_SIZES, RESOURCES_DIR, icon_svg_path


def render(size: int, renderer: QSvgRenderer) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(icon_svg_path()))
    if not renderer.isValid():
        print(f"render_icons: {icon_svg_path()} is not a valid SVG", file=sys.stderr)
        return 1
    for size in ICON_SIZES:
        target = RESOURCES_DIR / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not render(size, renderer).save(str(target)):
            print(f"render_icons: could not write {target}", file=sys.stderr)
            return 1
        print(f"render_icons: {target.relative_to(RESOURCES_DIR.parent)}")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
