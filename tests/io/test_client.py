"""The API client against a real local HTTP server (no test touches the internet)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from folkeskolekvalitet import DataError
from folkeskolekvalitet.io import (
    ApiError,
    AuthenticationError,
    QueryError,
    UddannelsesstatistikClient,
    UnknownMeasureError,
    to_indicator_table,
)

from .conftest import API_KEY, TRIV_RECORDS, FakeApi

DETAILS = [
    "[Skoleår].[Skoleår]",
    "[Institution].[Institution]",
    "[Trivselsindikator].[Trivselsindikator]",
]
MEASURES = ["Indikatorsvar", "Antal Indikatorsvar"]


def client(api: FakeApi, **kwargs: object) -> UddannelsesstatistikClient:
    options: dict[str, object] = {"backoff": 0.01, "retries": 3, "timeout": 10.0}
    options.update(kwargs)
    return UddannelsesstatistikClient(API_KEY, base_url=api.url, **options)  # type: ignore[arg-type]


def test_paging_reads_every_page(fake_api: FakeApi) -> None:
    with client(fake_api, page_size=10) as c:
        frame = c.query("GS", "TRIV", "TRIVIND", MEASURES, DETAILS)
    pages = [r["body"]["side"] for r in fake_api.requests]
    assert pages == [1, 2, 3]  # 10 + 10 + 5 records
    assert {r["body"]["side_størrelse"] for r in fake_api.requests} == {10}
    assert frame["record"].n_unique() == len(TRIV_RECORDS)
    assert frame.height == 2 * len(TRIV_RECORDS)
    assert frame["cube"].unique().to_list() == ["TRIV/TRIVIND"]
    body = fake_api.requests[0]["body"]
    assert body["område"] == "GS"
    assert body["underemne"] == "TRIVIND"
    assert body["nøgletal"] == MEASURES
    assert body["detaljering"] == DETAILS
    # the records go on to the indicator table: 5 schools × 5 indicators
    table = to_indicator_table(frame)
    assert table.height == 25
    assert table["n"].min() == 1100
    assert table["indicator"].n_unique() == 5


def test_exact_multiple_of_page_size_asks_one_empty_page(fake_api: FakeApi) -> None:
    with client(fake_api, page_size=25) as c:
        records = c.records("GS", "TRIV", "TRIVIND", MEASURES, DETAILS)
    assert len(records) == 25
    assert [r["body"]["side"] for r in fake_api.requests] == [1, 2]


def test_retry_after_503(fake_api: FakeApi) -> None:
    with client(fake_api, page_size=100) as c:
        records = c.records(
            "GS", "TRIV", "TRIVIND", MEASURES, DETAILS, {"[Skoleår].[Skoleår]": ["503"]}
        )
    assert fake_api.failed_once
    assert len(fake_api.requests) == 2  # the 503, then the answer
    assert records == TRIV_RECORDS


def test_retry_after_429(fake_api: FakeApi) -> None:
    with client(fake_api, page_size=100) as c:
        records = c.records(
            "GS", "TRIV", "TRIVIND", MEASURES, DETAILS, {"[Skoleår].[Skoleår]": ["429"]}
        )
    assert len(fake_api.requests) == 2
    assert records == TRIV_RECORDS


def test_any_cube_reads(fake_api: FakeApi) -> None:
    with client(fake_api, page_size=100) as c:
        frame = c.query("GS", "TRIV", "TRIVSP", MEASURES, DETAILS)
    assert frame["cube"].unique().to_list() == ["TRIV/TRIVSP"]
    with pytest.raises(DataError, match="not a cube the library maps"):
        to_indicator_table(frame)


def test_503_without_retries_is_an_api_error(fake_api: FakeApi) -> None:
    with client(fake_api, retries=0) as c, pytest.raises(ApiError) as info:
        c.records("GS", "TRIV", "TRIVIND", MEASURES, DETAILS, {"[Skoleår].[Skoleår]": ["503"]})
    assert getattr(info.value, "status", None) == 503


def test_cache_hit_does_not_ask_again(fake_api: FakeApi, tmp_path: Path) -> None:
    with client(fake_api, cache_dir=tmp_path, page_size=100) as c:
        first = c.query("GS", "TRIV", "TRIVIND", MEASURES, DETAILS)
        n_requests = len(fake_api.requests)
        second = c.query("GS", "TRIV", "TRIVIND", MEASURES, DETAILS)
        assert len(fake_api.requests) == n_requests == 1
        # another query is another cache entry
        c.query("GS", "TRIV", "TRIVIND", ["Indikatorsvar"], DETAILS)
        assert len(fake_api.requests) == 2
        c.query("GS", "TRIV", "TRIVIND", MEASURES, DETAILS, refresh=True)
        assert len(fake_api.requests) == 3
    assert first.equals(second)
    files = list(tmp_path.iterdir())
    assert len(files) == 2
    assert all(API_KEY not in f.read_text(encoding="utf-8") for f in files)


def test_bad_key(fake_api: FakeApi) -> None:
    c = UddannelsesstatistikClient("wrong-key", base_url=fake_api.url, backoff=0.01)
    with c, pytest.raises(AuthenticationError) as info:
        c.query("GS", "TRIV", "TRIVIND", MEASURES, DETAILS)
    assert info.value.status == 401
    assert "wrong-key" not in str(info.value)
    assert len(fake_api.requests) == 1  # a refused key is not retried


def test_unknown_measure(fake_api: FakeApi) -> None:
    with client(fake_api) as c, pytest.raises(UnknownMeasureError) as info:
        c.query("GS", "TRIV", "TRIVIND", ["Indikatorsvar", "Trivselsscore"], DETAILS)
    assert info.value.measure == "Trivselsscore"
    assert isinstance(info.value, QueryError)
    assert info.value.status == 400


def test_catalogue(fake_api: FakeApi, tmp_path: Path) -> None:
    with client(fake_api, cache_dir=tmp_path) as c:
        cat = c.catalogue()
        cat_again = c.catalogue()
    assert fake_api.requests[0]["path"] == "/Api/v1/skema"
    assert len(fake_api.requests) == 1
    assert cat.equals(cat_again)
    measures = cat.filter((pl.col("subsubject") == "TRIVIND") & (pl.col("kind") == "measure"))
    assert measures["name"].to_list() == [
        "Indikatorsvar",
        "Antal Indikatorsvar",
        "Andel Indikatorsvar",
    ]
    dims = cat.filter(pl.col("kind") == "dimension")
    assert dims.rows() == [
        ("GS", "TRIV", "TRIVIND", "dimension", "[Skoleår].[Skoleår]"),
        ("GS", "TRIV", "TRIVIND", "dimension", "[Institution].[Institution]"),
        ("GS", "ELEVFRAV", "FRAVAAR", "dimension", "[Tid].[Skoleår]"),
    ]


def test_options_are_checked() -> None:
    with pytest.raises(ValueError, match="api_key"):
        UddannelsesstatistikClient("  ")
    with pytest.raises(ValueError, match="retries"):
        UddannelsesstatistikClient("k", retries=-1)
    with pytest.raises(TypeError, match="lists"):
        UddannelsesstatistikClient.request_body("GS", "TRIV", "TRIVIND", "Indikatorsvar")
