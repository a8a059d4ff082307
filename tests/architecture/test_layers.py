"""The layering rule of DESIGN.md, checked on the source: the protocol, domain, network and
simulator layers never import Qt or qasync, and each layer imports only the layers below it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "workstation"

#: layer -> the workstation subpackages it may import (besides itself).
ALLOWED: dict[str, set[str]] = {
    "fix": set(),
    "trading": {"fix"},
    "net": {"fix"},
    "simulator": {"fix", "trading", "net"},
    "client": {"fix", "trading", "net", "simulator"},
}
QT_MODULES = ("PySide6", "qasync", "shiboken6")


def imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def layer_files(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layer_never_imports_qt(layer: str) -> None:
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{line} imports {module}"
        for path in layer_files(layer)
        for line, module in imported_modules(path)
        if module.split(".")[0] in QT_MODULES
    ]
    assert offenders == []


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layer_imports_only_lower_layers(layer: str) -> None:
    offenders = []
    for path in layer_files(layer):
        for line, module in imported_modules(path):
            parts = module.split(".")
            if parts[0] != "workstation" or len(parts) < 2:
                continue
            target = parts[1]
            layers = {"fix", "trading", "net", "simulator", "client", "ui"}
            if target != layer and target in layers and target not in ALLOWED[layer]:
                offenders.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {module}")
    assert offenders == []


def test_checker_sees_a_qt_import(tmp_path: Path) -> None:
    """The checker itself must flag a Qt import, or the tests above prove nothing."""
    sample = tmp_path / "sample.py"
    sample.write_text("import os\nfrom PySide6.QtCore import QObject\n", encoding="utf-8")
    assert (2, "PySide6.QtCore") in imported_modules(sample)
