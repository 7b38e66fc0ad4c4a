"""A client of uddannelsesstatistik.dk's JSON API: paging, retries, an on-disk cache.

The warehouse answers ``POST /Api/v1/statistik`` with a page of flat records and
``POST /Api/v1/skema`` with its cube catalogue; a free key is sent as a Bearer token.
:class:`UddannelsesstatistikClient` pages through a query, retries with exponential
backoff on 429 and 5xx answers and on network errors, caches the records of a query on
disk (keyed by the query, never by the key), and raises typed errors: a refused key is
an :class:`AuthenticationError`, a measure the cube does not know an
:class:`UnknownMeasureError`.

The request and response layout comes from public clients, not from STIL's own
documentation (see :mod:`folkeskolekvalitet.io.uddannelsesstatistik`); the catalogue
layout in particular is read tolerantly.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import polars as pl

from folkeskolekvalitet.io._deps import require
from folkeskolekvalitet.io.uddannelsesstatistik import read_uddannelsesstatistik

__all__ = [
    "ApiError",
    "AuthenticationError",
    "QueryError",
    "UddannelsesstatistikClient",
    "UnknownMeasureError",
]

DEFAULT_BASE_URL = "https://api.uddannelsesstatistik.dk"
_STATISTIK = "/Api/v1/statistik"
_SKEMA = "/Api/v1/skema"
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_MAX_WAIT = 60.0
_MAX_PAGES = 100_000


class ApiError(RuntimeError):
    """The API answered with an error (or could not be reached after the retries).

    Attributes
    ----------
    status
        The HTTP status (None when no answer came).
    message
        The API's message, if any.
    """

    def __init__(self, message: str, status: int | None = None) -> None:
        self.status = status
        self.message = message
        prefix = (
            f"uddannelsesstatistik.dk answered {status}" if status else "uddannelsesstatistik.dk"
        )
        super().__init__(f"{prefix}: {message}")


class AuthenticationError(ApiError):
    """The API key was refused (HTTP 401 or 403)."""


class QueryError(ApiError):
    """The API refused the query (HTTP 400)."""


class UnknownMeasureError(QueryError):
    """The cube does not know a requested measure.

    Attributes
    ----------
    measure
        The measure named in the API's message.
    """

    def __init__(self, message: str, status: int | None, measure: str) -> None:
        self.measure = measure
        super().__init__(message, status)


def _message(response: Any) -> str:
    try:
        body = response.json()
    except ValueError:
        return str(response.text).strip()[:500] or "no message"
    if isinstance(body, Mapping):
        for key in ("message", "Message", "fejl", "error", "title", "detail"):
            if isinstance(body.get(key), str):
                return str(body[key])[:500]
    return json.dumps(body, ensure_ascii=False)[:500]


class UddannelsesstatistikClient:
    """A client of the warehouse API.

    Parameters
    ----------
    api_key
        The personal key (issued free of charge by uddannelsesstatistik.dk). It is sent as
        a Bearer token and never written to the cache or to an error message.
    base_url
        The API's address.
    cache_dir
        A directory for the on-disk cache: one JSON file of records per query (the query's
        SHA-256). None turns the cache off.
    timeout
        Seconds to wait for an answer.
    retries
        How many times a request is repeated after a 429 or 5xx answer or a network error.
    backoff
        Seconds before the first retry; each further retry waits twice as long (a numeric
        ``Retry-After`` header is honoured, up to 60 s).
    page_size
        Records per page (``side_størrelse``).

    Examples
    --------
    >>> from folkeskolekvalitet.io import UddannelsesstatistikClient
    >>> client = UddannelsesstatistikClient("my-key", cache_dir=None, retries=2)
    >>> client.request_body("GS", "TRIV", "TRIVIND", ["Indikatorsvar"], ["[Skoleår].[Skoleår]"])
    ... # doctest: +NORMALIZE_WHITESPACE
    {'område': 'GS', 'emne': 'TRIV', 'underemne': 'TRIVIND', 'nøgletal': ['Indikatorsvar'],
     'detaljering': ['[Skoleår].[Skoleår]'], 'filtre': {}, 'indlejret': False,
     'tomme_rækker': False, 'formattering': 'json'}
    >>> client.close()
    """

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        cache_dir: str | os.PathLike[str] | None = None,
        timeout: float = 60.0,
        retries: int = 4,
        backoff: float = 1.0,
        page_size: int = 10_000,
    ) -> None:
        if not isinstance(api_key, str) or not api_key.strip():
            msg = "api_key must be the key issued by uddannelsesstatistik.dk (non-empty text)"
            raise ValueError(msg)
        if retries < 0 or backoff < 0 or timeout <= 0 or page_size < 1:
            msg = "retries and backoff must be >= 0, timeout > 0 and page_size >= 1"
            raise ValueError(msg)
        httpx = require("httpx")
        self._api_key = api_key.strip()
        self.base_url = base_url.rstrip("/")
        self.cache_dir = None if cache_dir is None else Path(cache_dir)
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.page_size = page_size
        self._http = httpx.Client(
            base_url=self.base_url,
            timeout=timeout,
            headers={
                "authorization": f"Bearer {self._api_key}",
                "content-type": "application/json",
                "accept": "application/json",
            },
        )

    def __repr__(self) -> str:
        return (
            f"UddannelsesstatistikClient(base_url={self.base_url!r}, cache_dir={self.cache_dir!r})"
        )

    def __enter__(self) -> UddannelsesstatistikClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    @staticmethod
    def request_body(  # noqa: PLR0917 - the API's own field order
        area: str,
        subject: str,
        subsubject: str,
        measures: Sequence[str],
        details: Sequence[str] = (),
        filters: Mapping[str, Sequence[str]] | None = None,
    ) -> dict[str, Any]:
        """The JSON body of a query (without the page fields)."""
        if isinstance(measures, str) or isinstance(details, str):
            msg = "measures and details must be lists of names, not a single string"
            raise TypeError(msg)
        return {
            "område": area,
            "emne": subject,
            "underemne": subsubject,
            "nøgletal": list(measures),
            "detaljering": list(details),
            "filtre": {k: list(v) for k, v in (filters or {}).items()},
            "indlejret": False,
            "tomme_rækker": False,
            "formattering": "json",
        }

    # ------------------------------------------------------------------ transport

    def _post(self, path: str, body: Mapping[str, Any], measures: Sequence[str] = ()) -> Any:
        httpx = require("httpx")
        attempt = 0
        while True:
            try:
                response = self._http.post(path, content=json.dumps(body, ensure_ascii=False))
            except httpx.TransportError as exc:
                if attempt >= self.retries:
                    msg = f"no answer after {attempt + 1} attempts ({type(exc).__name__})"
                    raise ApiError(msg) from exc
                self._wait(attempt, None)
                attempt += 1
                continue
            status = response.status_code
            if status in _RETRY_STATUSES and attempt < self.retries:
                self._wait(attempt, response.headers.get("retry-after"))
                attempt += 1
                continue
            if status >= 400:
                self._raise(status, _message(response), measures)
            try:
                return response.json()
            except ValueError as exc:
                msg = "the answer is not JSON"
                raise ApiError(msg, status) from exc

    def _wait(self, attempt: int, retry_after: str | None) -> None:
        delay = self.backoff * 2**attempt
        if retry_after is not None:
            with contextlib.suppress(ValueError):
                delay = max(delay, min(float(retry_after), _MAX_WAIT))
        time.sleep(delay)

    def _raise(self, status: int, message: str, measures: Sequence[str]) -> None:
        message = message.replace(self._api_key, "<key>")
        if status in (401, 403):
            msg = (
                f"the API key was refused ({message}); get a free key at"
                " https://uddannelsesstatistik.dk"
            )
            raise AuthenticationError(msg, status)
        if status == 400:
            named = [m for m in measures if m in message]
            if named or "nøgletal" in message.lower() or "measure" in message.lower():
                raise UnknownMeasureError(message, status, named[0] if named else "")
            raise QueryError(message, status)
        raise ApiError(message, status)

    # ------------------------------------------------------------------ cache

    def _cache_path(self, kind: str, body: Mapping[str, Any]) -> Path | None:
        if self.cache_dir is None:
            return None
        text = json.dumps({"url": self.base_url, "kind": kind, "body": body}, sort_keys=True)
        digest = hashlib.sha256(text.encode()).hexdigest()
        return self.cache_dir / f"{kind}-{digest[:32]}.json"

    @staticmethod
    def _read_cache(path: Path | None) -> Any:
        if path is None or not path.is_file():
            return None
        return json.loads(path.read_text(encoding="utf-8"))

    @staticmethod
    def _write_cache(path: Path | None, data: Any) -> None:
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)

    # ------------------------------------------------------------------ queries

    def _pages(self, body: Mapping[str, Any], measures: Sequence[str]) -> Iterator[list[Any]]:
        for page in range(1, _MAX_PAGES + 1):
            answer = self._post(
                _STATISTIK, {**body, "side": page, "side_størrelse": self.page_size}, measures
            )
            if not isinstance(answer, list):
                msg = "expected a JSON list of records"
                raise ApiError(msg)
            yield answer
            if len(answer) < self.page_size:
                return

    def records(  # noqa: PLR0917 - the API's own field order
        self,
        area: str,
        subject: str,
        subsubject: str,
        measures: Sequence[str],
        details: Sequence[str] = (),
        filters: Mapping[str, Sequence[str]] | None = None,
        *,
        refresh: bool = False,
    ) -> list[dict[str, Any]]:
        """The raw records of a query, all pages, from the cache when it has them."""
        body = self.request_body(area, subject, subsubject, measures, details, filters)
        path = self._cache_path("statistik", body)
        if not refresh:
            cached = self._read_cache(path)
            if cached is not None:
                return list(cached)
        out: list[dict[str, Any]] = []
        for page in self._pages(body, measures):
            out.extend(page)
        self._write_cache(path, out)
        return out

    def query(  # noqa: PLR0917 - the API's own field order
        self,
        area: str,
        subject: str,
        subsubject: str,
        measures: Sequence[str],
        details: Sequence[str] = (),
        filters: Mapping[str, Sequence[str]] | None = None,
        *,
        refresh: bool = False,
    ) -> pl.DataFrame:
        """Run a query and read it with :func:`~folkeskolekvalitet.io.read_uddannelsesstatistik`.

        Parameters
        ----------
        area
            Område, ``"GS"`` for grundskolen.
        subject, subsubject
            Emne and underemne, e.g. ``"TRIV"`` and ``"TRIVIND"``.
        measures
            Nøgletal, e.g. ``["Indikatorsvar", "Antal Indikatorsvar"]``.
        details
            Detaljering: dimension levels, e.g. ``["[Skoleår].[Skoleår]",
            "[Institution].[Institution]"]``.
        filters
            Filtre: level -> member names, e.g. ``{"[Institution].[Kommune]": ["Randers"]}``.
        refresh
            Ask the API even when the cache has the answer (and renew the cache).

        Returns
        -------
        DataFrame
            The tidy frame of :func:`~folkeskolekvalitet.io.read_uddannelsesstatistik`,
            with ``cube`` set to ``"<subject>/<subsubject>"`` (any cube reads; the ones
            in :data:`~folkeskolekvalitet.io.CUBES` go on to the indicator table).

        Raises
        ------
        AuthenticationError
            The key was refused.
        UnknownMeasureError
            The cube does not know a measure.
        QueryError, ApiError
            Any other refusal, or no answer after the retries.
        """
        records = self.records(
            area, subject, subsubject, measures, details, filters, refresh=refresh
        )
        key = f"{subject}/{subsubject}"
        return read_uddannelsesstatistik(records, cube=key)

    def catalogue(self, *, refresh: bool = False) -> pl.DataFrame:
        """The cube catalogue (skema): one row per cube and dimension level or measure.

        Returns
        -------
        DataFrame
            ``area``, ``subject``, ``subsubject``, ``kind`` (``"measure"`` or
            ``"dimension"``) and ``name``, as the API names them.
        """
        body: dict[str, Any] = {"formattering": "json"}
        path = self._cache_path("skema", body)
        answer = None if refresh else self._read_cache(path)
        if answer is None:
            answer = self._post(_SKEMA, body)
            self._write_cache(path, answer)
        rows = list(_walk_skema(answer, {}))
        return pl.DataFrame(
            rows,
            schema={
                "area": pl.String,
                "subject": pl.String,
                "subsubject": pl.String,
                "kind": pl.String,
                "name": pl.String,
            },
            orient="row",
        ).unique(maintain_order=True)


_CONTEXT_KEYS = {
    "område": "area",
    "omraade": "area",
    "area": "area",
    "emne": "subject",
    "subject": "subject",
    "underemne": "subsubject",
    "subsubject": "subsubject",
}
_MEASURE_KEYS = ("nøgletal", "noegletal", "measures", "maal")
_DIMENSION_KEYS = ("detaljering", "dimensioner", "dimensions", "niveauer", "levels")


def _name(item: Any) -> str | None:
    if isinstance(item, str):
        return item
    if isinstance(item, Mapping):
        for key in ("navn", "name", "kode", "id"):
            if isinstance(item.get(key), str):
                return str(item[key])
    return None


def _walk_skema(node: Any, context: dict[str, str]) -> Iterator[tuple[str | None, ...]]:
    """Rows of (area, subject, subsubject, kind, name) anywhere in a nested catalogue."""
    if isinstance(node, list):
        for item in node:
            yield from _walk_skema(item, context)
        return
    if not isinstance(node, Mapping):
        return
    here = dict(context)
    for key, value in node.items():
        field = _CONTEXT_KEYS.get(str(key).casefold())
        if field and isinstance(value, str):
            here[field] = value
    for key, value in node.items():
        lowered = str(key).casefold()
        kind = (
            "measure"
            if any(lowered.startswith(k) for k in _MEASURE_KEYS)
            else "dimension"
            if any(lowered.startswith(k) for k in _DIMENSION_KEYS)
            else None
        )
        if kind and isinstance(value, list):
            for item in value:
                name = _name(item)
                if name is not None:
                    yield (
                        here.get("area"),
                        here.get("subject"),
                        here.get("subsubject"),
                        kind,
                        name,
                    )
        elif isinstance(value, list | Mapping):
            yield from _walk_skema(value, here)
