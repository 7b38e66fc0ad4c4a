"""Sphinx configuration for folkeskolekvalitet."""

from __future__ import annotations

import pathlib
import sys
from importlib.metadata import version as _version

sys.path.insert(0, str(pathlib.Path(__file__).parent / "_ext"))

project = "folkeskolekvalitet"
author = "folkeskolekvalitet developers"
copyright = "2026, folkeskolekvalitet developers"
release = _version("folkeskolekvalitet")
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.viewcode",
    "numpydoc",
    "catalogue",
]

autosummary_generate = True
autodoc_typehints = "none"
autodoc_default_options = {"members": True, "undoc-members": False}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
numpydoc_validation_checks: set[str] = set()

# The build machines cannot reach docs.pola.rs: a small local inventory (see
# _inventories/make_polars_inventory.py) resolves the Polars objects we link to.
intersphinx_mapping = {
    "polars": ("https://docs.pola.rs/api/python/stable/", "_inventories/polars.inv"),
}

nitpicky = False
templates_path = ["_templates"]
exclude_patterns = ["_build", "_inventories"]
html_theme = "pydata_sphinx_theme"
html_title = "folkeskolekvalitet"
html_static_path: list[str] = ["_static"]
html_theme_options = {"navigation_with_keys": False}
language = "en"
