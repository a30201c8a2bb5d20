"""Writing output files atomically: all of the new text, or the old file untouched.

The writer itself is shared by every probkit module: :mod:`probkit._atomic`.
"""

from __future__ import annotations

from probkit._atomic import write_text_atomic

__all__ = ["write_text_atomic"]
