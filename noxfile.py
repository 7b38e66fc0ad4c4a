"""Every check CI runs. ``nox`` runs them all; ``nox -s NAME`` runs one."""

from __future__ import annotations

import nox

nox.options.sessions = ["lint", "typecheck", "tests", "docs", "demo"]
nox.options.error_on_missing_interpreters = False
nox.options.reuse_existing_virtualenvs = True

PYTHON = "3.11"
# The oldest supported Polars and the newest: the library must work on both.
POLARS_VERSIONS = ["2.0.0", "latest"]


def _install_polars(session: nox.Session, polars: str) -> None:
    if polars == "latest":
        session.install("--upgrade", "polars>=2.0,<3")
    else:
        session.install(f"polars=={polars}")


@nox.session(python=PYTHON)
@nox.parametrize("polars", POLARS_VERSIONS)
def tests(session: nox.Session, polars: str) -> None:
    """Pytest with doctests and Hypothesis, the same random profile on CI and locally."""
    session.install("-e", ".[tests]")
    _install_polars(session, polars)
    session.run("python", "-c", "import polars; print('polars', polars.__version__)")
    # One profile everywhere (random, not derandomized): what passes CI passes a fresh clone.
    env = {"HYPOTHESIS_PROFILE": "ci"}
    # pytest exits 5 when it collected no test: nox fails on any non-zero code.
    session.run("pytest", *session.posargs, env=env)


@nox.session(python=PYTHON)
def fuzz(session: nox.Session) -> None:
    """Many random Hypothesis examples over the test suite (not part of plain ``nox``).

    ``nox -s fuzz -- --hypothesis-seed=7`` picks the seed; other pytest options and
    paths can follow (``nox -s fuzz -- --hypothesis-seed=7 tests/wellbeing``).
    """
    session.install("-e", ".[tests]")
    args = list(session.posargs)
    if not any(a.startswith(("tests", "src", "docs")) for a in args):
        # The property tests (Hypothesis marks them): example tests do not change with
        # the number of examples, so running them again adds time and no search.
        args = [*args, "-m", "hypothesis", "tests"]
    env = {"HYPOTHESIS_PROFILE": "fuzz"}
    session.run("pytest", "-p", "no:cacheprovider", "-q", *args, env=env)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Ruff lint and format check."""
    session.install("ruff>=0.17")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    """Mypy --strict on the package."""
    session.install("-e", ".[typecheck]")
    session.run("mypy", "--strict", "src")


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """Sphinx, warnings as errors."""
    session.install("-e", ".[docs]")
    session.run(
        "sphinx-build", "-W", "--keep-going", "-q", "-b", "html", "-n", "docs", "docs/_build/html"
    )


@nox.session(python=PYTHON)
def demo(session: nox.Session) -> None:
    """The README's main job: the demo on built-in synthetic data."""
    session.install(".[report]")
    session.run("folkeskolekvalitet", "demo", "--out", session.create_tmp())


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Benchmarks at national scale against pandas and DuckDB (not part of plain ``nox``)."""
    session.install("-e", ".[bench]")
    session.run("python", "benchmarks/run.py", *session.posargs)
