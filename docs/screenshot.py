"""Make the user guide's screenshots of the demo report: ``python docs/screenshot.py``.

Builds ``folkeskolekvalitet demo`` into a temporary directory and photographs its front
page and its exam section with Debian's headless Chromium (driven by Selenium and
chromedriver) into ``docs/_static/``.
"""

from __future__ import annotations

import pathlib
import shutil
import sys
import tempfile

from selenium import webdriver

from folkeskolekvalitet.cli import main as cli

HERE = pathlib.Path(__file__).resolve().parent
#: The screenshots by the section they show (None: the top of the page).
TARGETS = {
    None: HERE / "_static" / "kvalitetsrapport.png",
    "exams": HERE / "_static" / "kvalitetsrapport-karakterer.png",
}


def main() -> int:
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if chromium is None or driver_path is None:
        print("needs Debian's chromium and chromium-driver", file=sys.stderr)
        return 1
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"):
        options.add_argument(arg)
    browser = webdriver.Chrome(
        options=options, service=webdriver.ChromeService(executable_path=driver_path)
    )
    try:
        browser.set_window_size(1280, 1300)
        with tempfile.TemporaryDirectory() as tmp:
            cli(["demo", "--out", tmp, "--quiet"])
            browser.get((pathlib.Path(tmp) / "kvalitetsrapport.html").as_uri())
            for section, target in TARGETS.items():
                target.parent.mkdir(parents=True, exist_ok=True)
                if section is None:
                    browser.execute_script("window.scrollTo(0, 0)")
                else:
                    browser.execute_script(
                        "document.getElementById(arguments[0]).scrollIntoView()", section
                    )
                browser.save_screenshot(str(target))
                print(f"wrote {target}")
    finally:
        browser.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
