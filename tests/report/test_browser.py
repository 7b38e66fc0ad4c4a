"""The HTML report in a real headless Chromium (Debian's chromium + chromium-driver).

No console error, a screenshot, every figure with a non-zero size, and no horizontal scroll
of the page at 1280 px and 390 px. Skipped, saying why, where Chromium is not installed
(``.ci/run`` installs it with apt-get).
"""

from __future__ import annotations

import pathlib
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver;"
    " .ci/run installs them)",
)


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    webdriver = pytest.importorskip("selenium.webdriver")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = webdriver.ChromeService(executable_path=str(CHROMEDRIVER))
    browser = webdriver.Chrome(options=options, service=service)
    try:
        yield browser
    finally:
        browser.quit()


def _open(driver: Any, page: pathlib.Path, width: int) -> None:
    driver.set_window_size(width, 900)
    driver.get(page.as_uri())


@pytest.mark.parametrize("width", [1280, 390])
def test_report_renders_without_errors_or_horizontal_scroll(
    driver: Any, written: dict[str, pathlib.Path], width: int
) -> None:
    _open(driver, written["html"], width)
    logs = driver.get_log("browser")
    errors = [entry for entry in logs if entry.get("level") in ("SEVERE", "ERROR")]
    assert not errors, errors
    inner = driver.execute_script("return window.innerWidth")
    scroll = driver.execute_script("return document.documentElement.scrollWidth")
    assert scroll <= inner, f"page scrolls horizontally at {width} px: {scroll} > {inner}"
    sizes = driver.execute_script(
        "return Array.from(document.querySelectorAll('figure[data-figure]')).map(f => {"
        " const s = f.querySelector('svg'); const r = s ? s.getBoundingClientRect() : null;"
        " return [f.dataset.figure, r ? r.width : 0, r ? r.height : 0]; })"
    )
    assert sizes
    for key, w, h in sizes:
        assert w > 0, key
        assert h > 0, key
        assert w <= inner, f"figure {key} wider than the window"


def test_screenshot(driver: Any, written: dict[str, pathlib.Path], tmp_path: pathlib.Path) -> None:
    _open(driver, written["html"], 1280)
    shot = tmp_path / "kvalitetsrapport.png"
    assert driver.save_screenshot(str(shot))
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG")
    assert len(data) > 10_000
