"""probkit's own Python files, each read and parsed once a test session.

The architecture and project tests walk every module of probkit several times (import
graphs with and without lazy imports, imports of the CLI); parsing ~110 files takes about
half a second each time. The trees are shared: read them, never change them.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@functools.cache
def probkit_files() -> tuple[Path, ...]:
    """Every ``.py`` file under ``probkit/``, in a stable order."""
    return tuple(sorted((ROOT / "probkit").rglob("*.py")))


@functools.cache
def parsed(path: Path) -> ast.Module:
    """The syntax tree of ``path`` (shared between tests: do not modify it)."""
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
