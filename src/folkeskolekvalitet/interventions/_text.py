"""Text clean-up shared by the resource and survey parsers (stray HTML, spaces)."""

from __future__ import annotations

import html
import re

__all__ = ["clean_html", "squash"]

_BLOCK_TAG = re.compile(r"</?(?:p|br|li|ul|ol|div|h\d)\b[^>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_SPACES = re.compile(r"[ \t\u00a0]+")


def clean_html(text: str) -> str:
    r"""Turn a field with stray HTML into plain text: block tags become line breaks.

    Examples
    --------
    >>> from folkeskolekvalitet.interventions._text import clean_html
    >>> clean_html("<p>Fire årsværk</p> <p>Vejledere &amp; lærere</p>")
    'Fire årsværk\nVejledere & lærere'
    >>> clean_html('<ul style="list-style-type: none"> • a • b')
    '• a • b'
    """
    text = _BLOCK_TAG.sub("\n", text)
    text = _ANY_TAG.sub(" ", text)
    text = html.unescape(text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def squash(text: str) -> str:
    r"""Collapse all whitespace (including line breaks) to single spaces.

    Examples
    --------
    >>> from folkeskolekvalitet.interventions._text import squash
    >>> squash(" a\n  b\t c ")
    'a b c'
    """
    return " ".join(text.split())
