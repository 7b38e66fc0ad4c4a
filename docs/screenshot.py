"""Make the user guide's screenshot of the demo report: ``python docs/screenshot.py``.

Builds ``folkeskolekvalitet demo`` into a temporary directory and photographs its first
screen with Debian's headless Chromium into ``docs/_static/kvalitetsrapport.png``.
"""

from __future__ import annotations

import pathlib
import shutil
import subprocess
import sys
import tempfile

from folkeskolekvalitet.cli import main as cli

HERE = pathlib.Path(__file__).parent
TARGET = HERE / "_static" / "kvalitetsrapport.png"


def main() -> int:
    chromium = shutil.which("chromium")
    if chromium is None:
        print("needs Debian's chromium (apt-get install chromium)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        cli(["demo", "--out", tmp, "--quiet"])
        page = pathlib.Path(tmp) / "kvalitetsrapport.html"
        subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--screenshot={TARGET}",
                "--window-size=1280,1400",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
        )
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
