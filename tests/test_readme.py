"""The README's install and set-up commands stay true (issue 9, item 13)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_readme_does_not_install_an_unpublished_package() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    guide = (ROOT / "docs" / "getting_started.rst").read_text("utf-8")
    for text in (readme, guide):
        assert not re.search(r"pip install folkeskolekvalitet\s*$", text, re.MULTILINE)
        assert "python -m pip install ." in text


def test_readme_wheel_name_matches_the_version() -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    wheel = f"dist/folkeskolekvalitet-{version}-py3-none-any.whl"
    assert wheel in (ROOT / "README.md").read_text("utf-8")
    assert wheel in (ROOT / "docs" / "getting_started.rst").read_text("utf-8")


def test_readme_keeps_the_set_up_commands() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert 'python -m pip install ".[report]" && folkeskolekvalitet demo' in readme
    assert "python -m pip install nox && python -m nox" in readme


def test_readme_python_examples_run() -> None:
    """Every ```python block of the README runs as written, in a fresh namespace."""
    readme = (ROOT / "README.md").read_text("utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, re.DOTALL)
    assert len(blocks) >= 2
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
