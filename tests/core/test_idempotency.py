"""hearth.core.idempotency: two requests with one key at the same moment make one record
(the second waits on the key's unique index, then replays the first's answer)."""

import threading
import time

import pytest
from django.db import connection

from hearth.core.idempotency import once
from hearth.core.models import IdempotencyKey


@pytest.mark.django_db(transaction=True)
def test_two_requests_with_one_key_at_once_run_once(worker):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time anyway")
    started, release = threading.Event(), threading.Event()
    ran, answers = [], []

    def send(name, wait):
        def respond():
            started.set()
            if wait:
                release.wait(5)
            ran.append(name)
            return name

        try:
            answers.append(
                once(
                    user=worker.user,
                    key="k",
                    path="/p",
                    respond=respond,
                    keep=lambda response, row: True,
                    replay=lambda row: f"replayed {row.path}",
                )
            )
        finally:
            connection.close()

    first = threading.Thread(target=send, args=("first", True))
    first.start()
    assert started.wait(5)
    second = threading.Thread(target=send, args=("second", False))
    second.start()
    time.sleep(0.3)  # the second is waiting on the first's claim
    release.set()
    first.join(10)
    second.join(10)
    assert ran == ["first"] and sorted(answers) == ["first", "replayed /p"]
    assert IdempotencyKey.objects.count() == 1
