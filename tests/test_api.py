"""The public API: sorted __all__, everything importable, every public name documented."""

from __future__ import annotations

import importlib
import pathlib
import pkgutil
import re

import pytest

import folkeskolekvalitet

ROOT = pathlib.Path(__file__).parents[1]
PUBLIC_MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(folkeskolekvalitet.__path__, "folkeskolekvalitet.")
    if not any(part.startswith("_") for part in m.name.split(".")) and m.name.count(".") == 1
)


def test_version() -> None:
    assert re.match(r"^\d+\.\d+", folkeskolekvalitet.__version__)


@pytest.mark.parametrize("name", ["folkeskolekvalitet", *PUBLIC_MODULES])
def test_all_is_explicit_and_importable(name: str) -> None:
    # Its order is checked by ruff (RUF022, isort-style sorting).
    module = importlib.import_module(name)
    names = getattr(module, "__all__", None)
    assert names is not None, f"{name} has no __all__"
    assert len(set(names)) == len(names)
    for attr in names:
        assert hasattr(module, attr), f"{name}.{attr} in __all__ but missing"


@pytest.mark.parametrize("name", ["folkeskolekvalitet", *PUBLIC_MODULES])
def test_every_public_name_is_in_the_docs(name: str) -> None:
    docs = ROOT / "docs"
    text = "\n".join(
        p.read_text(encoding="utf-8") for p in docs.rglob("*.rst") if "generated" not in p.parts
    )
    module = importlib.import_module(name)
    missing = [
        n
        for n in getattr(module, "__all__", [])
        if n != "__version__" and not re.search(rf"\b{re.escape(n)}\b", text)
    ]
    assert not missing, f"not mentioned in docs/: {missing}"


def test_families_do_not_import_each_other() -> None:
    families = [
        p.name
        for p in (ROOT / "src/folkeskolekvalitet").iterdir()
        if p.is_dir()
        and not p.name.startswith("_")
        and p.name
        not in ("synthetic", "testing", "report", "io", "indicators", "goals", "disclosure", "cli")
    ]
    for family in families:
        for path in (ROOT / "src/folkeskolekvalitet" / family).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            for other in families:
                if other != family:
                    assert f"folkeskolekvalitet.{other}" not in source, f"{path} imports {other}"


def test_core_imports_nothing_above_it() -> None:
    for path in (ROOT / "src/folkeskolekvalitet/_core").rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith(("import folkeskolekvalitet", "from folkeskolekvalitet")):
                assert line.startswith("from folkeskolekvalitet._core"), f"{path}: {line}"
