"""A small progress bar on stderr for the report's long steps."""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["Progress"]


class Progress:
    """Steps of a long job, drawn as a bar on stderr; silent when ``quiet``.

    Examples
    --------
    >>> import io
    >>> from folkeskolekvalitet.report._progress import Progress
    >>> out = io.StringIO()
    >>> bar = Progress(2, stream=out)
    >>> bar.step("reading")
    >>> bar.step("rendering")
    >>> bar.done()
    >>> "rendering" in out.getvalue()
    True
    """

    def __init__(self, total: int, *, quiet: bool = False, stream: TextIO | None = None) -> None:
        self.total = max(int(total), 1)
        self.count = 0
        self.quiet = quiet
        self.stream = sys.stderr if stream is None else stream
        self.start = time.perf_counter()

    def step(self, label: str) -> None:
        """Start the next step, called ``label``."""
        self.count = min(self.count + 1, self.total)
        self._draw(label)

    def _draw(self, label: str) -> None:
        if self.quiet:
            return
        width = 24
        filled = round(width * (self.count - 1) / self.total)
        bar = "#" * filled + "-" * (width - filled)
        elapsed = time.perf_counter() - self.start
        self.stream.write(f"\r[{bar}] {self.count}/{self.total} {label:<32.32} {elapsed:5.1f} s")
        self.stream.flush()

    def done(self) -> None:
        """Draw the full bar and end the line."""
        if self.quiet:
            return
        elapsed = time.perf_counter() - self.start
        bar = "#" * 24
        self.stream.write(f"\r[{bar}] {self.total}/{self.total} {'done':<32} {elapsed:5.1f} s\n")
        self.stream.flush()
