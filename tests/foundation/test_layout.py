"""No module reaches into another's private names: what one module needs from another is a
public name of the module it belongs to. A private module (``subsidy/_format.py``) serves
its own package only."""

from __future__ import annotations

import ast
from pathlib import Path

import jcm

ROOT = Path(jcm.__file__).parent


def test_no_private_name_is_imported_across_modules() -> None:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith("jcm"):
                continue
            module = node.module or ""
            parts = module.split(".")
            package = ".".join(("jcm", *path.relative_to(ROOT).parent.parts))
            private_module = any(
                p.startswith("_") and not p.startswith("__") for p in parts
            ) and not module.startswith(package + ".")
            names = [
                a.name for a in node.names if a.name.startswith("_") and not a.name.startswith("__")
            ]
            if private_module or names:
                found.append(f"{path.relative_to(ROOT)}: from {module} import {', '.join(names)}")
    assert found == []
