"""The bench's HTTP side: gunicorn started on a free local port, requests timed over one
keep-alive connection, and a page's queries counted in-process with the test client."""

import os
import socket
import subprocess
import sys
import time
from http.client import HTTPConnection
from pathlib import Path

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.timing import WARMUP

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    proc = subprocess.Popen(
        [
            gunicorn,
            "hearth.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "1",
            "--threads",
            "1",
            "--log-level",
            "warning",
            "--timeout",
            "300",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    sys.exit("gunicorn did not start")


def time_requests(
    port: int, path: str, headers: dict, requests: int, warmup: int = WARMUP
) -> list[float]:
    conn = HTTPConnection("127.0.0.1", port, timeout=300)
    samples = []
    for i in range(warmup + requests):
        started = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        took = (time.perf_counter() - started) * 1000
        if response.status != 200:
            sys.exit(f"{path} answered {response.status}")
        if i >= warmup:
            samples.append(took)
    conn.close()
    return samples


def count_queries(client: Client, path: str, headers: dict) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, headers=headers).status_code == 200, path
    return len(captured)
