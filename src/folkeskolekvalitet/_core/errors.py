"""Exceptions raised by folkeskolekvalitet.

Every problem found in input data is reported through :class:`DataError`, which
lists *all* problems at once (column, what is wrong, how many rows, a few
example values), so a user can fix a file in one pass instead of one error at a
time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from folkeskolekvalitet._core.privacy import hide_cpr

__all__ = ["CatalogueError", "DataError", "IdsNormalisedWarning", "Problem"]


def _hidden_examples(examples: Iterable[str]) -> tuple[str, ...]:
    return tuple(hide_cpr(str(e)) for e in examples)


@attrs.frozen
class Problem:
    """One problem found in an input frame.

    Parameters
    ----------
    column
        The column the problem is in (or a comma-separated key for key problems,
        or ``"<frame>"`` for problems of the whole frame).
    rule
        What is wrong, in plain words.
    n_rows
        How many rows have the problem (``None`` when the problem is not about
        rows, such as a missing column or a wrong dtype).
    examples
        A few offending values, as text.

    Every text has its CPR-shaped numbers hidden (``_core.privacy.hide_cpr``)
    when the problem is built, so a CPR-like value never reaches a message.
    """

    column: str = attrs.field(converter=hide_cpr)
    rule: str = attrs.field(converter=hide_cpr)
    n_rows: int | None = None
    examples: tuple[str, ...] = attrs.field(default=(), converter=_hidden_examples)

    def __str__(self) -> str:
        text = f"column {self.column!r}: {self.rule}"
        if self.n_rows is not None:
            text += f" ({self.n_rows} row{'s' if self.n_rows != 1 else ''})"
        if self.examples:
            text += "; e.g. " + ", ".join(self.examples)
        return text


class DataError(ValueError):
    """Input data that breaks a rule's contract.

    The message lists every problem found; the attribute ``problems`` keeps them as
    :class:`Problem` objects for programs.

    Examples
    --------
    >>> from folkeskolekvalitet import Problem
    >>> from folkeskolekvalitet import DataError
    >>> err = DataError("exam grades", [Problem("grade", "unknown grade", 2, ("'03'", "'5'"))])
    >>> print(err)
    exam grades: 1 problem
      - column 'grade': unknown grade (2 rows); e.g. '03', '5'
    """

    def __init__(self, what: str, problems: Sequence[Problem]) -> None:
        self.what = hide_cpr(what)
        self.problems: tuple[Problem, ...] = tuple(problems)
        n = len(self.problems)
        lines = [f"{self.what}: {n} problem{'s' if n != 1 else ''}"]
        lines += [f"  - {p}" for p in self.problems]
        super().__init__(hide_cpr("\n".join(lines)))

    @classmethod
    def single(cls, what: str, column: str, rule: str, examples: Iterable[str] = ()) -> DataError:
        """Build an error with a single problem."""
        return cls(what, [Problem(column, rule, None, tuple(examples))])


class CatalogueError(LookupError):
    """A catalogue was asked for something it does not know or has not confirmed.

    Raised, for example, by :func:`folkeskolekvalitet.exams.bound_exams` for a
    school year whose list of bound exams is not confirmed by an official source:
    the library refuses to guess.
    """


class IdsNormalisedWarning(UserWarning):
    """Some ids were spelled with padding, invisible characters or another Unicode form.

    The rules normalise every id column (strip surrounding and non-breaking
    spaces, remove zero-width characters, Unicode NFC) before counting, so one
    id is never two pupils, schools or municipalities; this warning says how many
    values were changed. Clean the ids at the source (or with
    :func:`folkeskolekvalitet.normalise_id`) to silence it, or filter it with
    the ``warnings`` module.
    """
