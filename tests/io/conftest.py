"""A local stand-in for the uddannelsesstatistik.dk API, served by a real HTTP server.

``POST /Api/v1/statistik`` answers pages (``side``, ``side_størrelse``) of records in the
documented layout (bracketed dimension keys, Danish number text); ``POST /Api/v1/skema``
the cube catalogue. A bad key gets 401, an unknown measure 400 with a message, and the
query with the filter ``{"[Skoleår].[Skoleår]": ["503"]}`` a 503 the first time.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

API_KEY = "test-key-123"
YEAR = "[Skoleår].[Skoleår].[Skoleår]"
INST = "[Institution].[Institution].[Institution]"
KOMMUNE = "[Institution].[Beliggenhedskommune].[Beliggenhedskommune]"
INDIKATOR = "[Trivselsindikator].[Trivselsindikator].[Trivselsindikator]"

#: 25 school records of TRIV/TRIVIND: 5 schools × 5 indicators, one year.
TRIV_RECORDS: list[dict[str, str]] = [
    {
        YEAR: "2024/2025",
        INST: f"Skole {i} ({730000 + i})",
        KOMMUNE: "Randers",
        INDIKATOR: indicator,
        "Indikatorsvar": f"3,{i + j}",
        "Antal Indikatorsvar": f"1.{i}0{j}",
    }
    for i in range(1, 6)
    for j, indicator in enumerate(
        [
            "Generel trivsel",
            "Social trivsel",
            "Faglig trivsel",
            "Støtte og inspiration",
            "Ro og orden",
        ]
    )
]

SKEMA: list[dict[str, Any]] = [
    {
        "område": "GS",
        "emner": [
            {
                "emne": "TRIV",
                "underemner": [
                    {
                        "underemne": "TRIVIND",
                        "nøgletal": ["Indikatorsvar", "Antal Indikatorsvar", "Andel Indikatorsvar"],
                        "detaljering": [
                            {"navn": "[Skoleår].[Skoleår]"},
                            {"navn": "[Institution].[Institution]"},
                        ],
                    }
                ],
            },
            {
                "emne": "ELEVFRAV",
                "underemner": [
                    {
                        "underemne": "FRAVAAR",
                        "nøgletal": ["Gennemsnitligt fravær per skoleår"],
                        "detaljering": ["[Tid].[Skoleår]"],
                    }
                ],
            },
        ],
    }
]


class FakeApi:
    """State of the fake server: requests seen and the 503 already served."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.failed_once = False
        self.url = ""


def _handler(api: FakeApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

        def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body, ensure_ascii=False).encode()
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("content-type", "application/json; charset=utf-8")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            api.requests.append({"path": self.path, "body": body})
            if self.headers.get("authorization") != f"Bearer {API_KEY}":
                self._send(401, {"message": "Ugyldig API-nøgle"})
                return
            if self.path == "/Api/v1/skema":
                self._send(200, SKEMA)
                return
            if self.path != "/Api/v1/statistik":
                self._send(404, {"message": "not found"})
                return
            known = {"Indikatorsvar", "Antal Indikatorsvar", "Andel Indikatorsvar"}
            unknown = [m for m in body.get("nøgletal", []) if m not in known]
            if unknown:
                self._send(400, {"message": f"Ukendt nøgletal: {unknown[0]}"})
                return
            busy = body.get("filtre", {}).get("[Skoleår].[Skoleår]")
            if busy in (["503"], ["429"]) and not api.failed_once:
                api.failed_once = True
                if busy == ["429"]:
                    self._send(429, {"message": "Too Many Requests"}, {"retry-after": "0"})
                else:
                    self._send(503, {"message": "Service Unavailable"})
                return
            page, size = int(body["side"]), int(body["side_størrelse"])
            self._send(200, TRIV_RECORDS[(page - 1) * size : page * size])

    return Handler


@pytest.fixture
def fake_api() -> Iterator[FakeApi]:
    """A real HTTP server on 127.0.0.1 (a free port), in a thread, for one test."""
    api = FakeApi()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(api))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    api.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
