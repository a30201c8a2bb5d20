"""``python -m probkit``: run the installed ``probkit`` console script.

The library never imports the CLI package by name (the CLI depends on the
library, not the reverse); it looks up the entry point the distribution
declares and calls it.
"""

from __future__ import annotations

import sys
from importlib.metadata import entry_points


def _run() -> int:
    matches = entry_points(group="console_scripts", name="probkit")
    for entry in matches:
        main = entry.load()
        result = main()
        return int(result or 0)
    sys.stderr.write("error: the probkit command line is not installed (pip install probkit)\n")
    return 1


if __name__ == "__main__":
    raise SystemExit(_run())
