"""The access log: every disclosure logged (one bulk insert per page), refused reads of
records that exist, the hash chain and its verification, the append-only trigger
(PostgreSQL) and appenders serialized under concurrency (PostgreSQL)."""

import threading
from io import StringIO
from itertools import groupby

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hearth.core import audit
from hearth.core.models import AccessLog, AccessLogChain
from hearth.staff.access import staff_for
from hearth.staff.models import Role
from tests.factories import PersonFactory, StaffFactory
from tests.pages import same_page
from tests.placements.conftest import family, removed  # noqa: F401 (shared fixtures)

POSTGRES = connection.vendor == "postgresql"
only_postgres = pytest.mark.skipif(not POSTGRES, reason="the trigger and the lock: PostgreSQL")


def request_as(user, path="/cases/", **meta):
    request = RequestFactory().get(path, **meta)
    request.user = user
    return request


def kinds(user):
    """The kinds of the user's rows in order, a page's rows counted once."""
    rows = AccessLog.objects.filter(user=user).order_by("pk").values_list("path", "kind")
    return [kind for (_, kind), _ in groupby(rows)]


def verify():
    out = StringIO()
    call_command("verify_access_log", stdout=out)
    return out.getvalue()


def tamper(sql, params):
    """Change the log behind the product's back, as someone with database access would."""
    with connection.cursor() as cursor:
        if POSTGRES:
            # The test's rows still have deferred foreign-key checks pending: run them first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE core_accesslog DISABLE TRIGGER core_accesslog_append_only")
        cursor.execute(sql, params)
        if POSTGRES:
            cursor.execute("ALTER TABLE core_accesslog ENABLE TRIGGER core_accesslog_append_only")


# --- One bulk insert per page -------------------------------------------------------------


def test_a_page_of_50_records_is_one_bulk_insert(worker):
    people = PersonFactory.create_batch(50)
    request = request_as(worker.user)
    staff_for(request.user)  # read once per request by the page itself
    with CaptureQueriesContext(connection) as queries:
        audit.log_access(request, audit.LIST, people)
    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "core_accesslog"')]
    assert len(inserts) == 1
    # The chain lock, the insert and the chain head; a savepoint and its release around
    # them inside a test's transaction.
    assert len(queries) == 5
    rows = AccessLog.objects.filter(user=worker.user)
    assert sorted(rows.values_list("object_id", flat=True)) == sorted(p.pk for p in people)
    assert set(rows.values_list("kind", "object_type", "channel")) == {("list", "person", "web")}


def test_the_caseload_page_writes_one_insert_for_all_its_cases(world, as_user):
    worker = world["staff"]["worker"]
    with CaptureQueriesContext(connection) as queries:
        assert as_user(worker).get(reverse("caseload")).status_code == 200
    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "core_accesslog"')]
    assert len(inserts) == 1
    held = world["cases"]["mine"]
    assert list(AccessLog.objects.values_list("kind", "object_type", "case_id")) == [
        ("list", "case", held.pk)
    ]


def test_nothing_shown_writes_nothing(worker):
    with CaptureQueriesContext(connection) as queries:
        audit.log_access(request_as(worker.user), audit.SEARCH, [])
    assert len(queries) == 0


# --- Every kind of disclosure -----------------------------------------------------------


def test_pages_log_views_lists_searches_and_exports(world, as_user):
    worker = world["staff"]["worker"]
    case = world["cases"]["mine"]
    child = case.members.first().person
    c = as_user(worker)
    assert c.get(reverse("caseload")).status_code == 200
    assert c.get(reverse("case_list")).status_code == 200
    assert c.get(reverse("case_detail", args=[case.pk])).status_code == 200
    assert c.get(reverse("person_detail", args=[child.pk])).status_code == 200
    # The search box reads a word with digits as a case number: a name of letters.
    child.last_name = "Osborne"
    child.save()
    assert c.get(reverse("people_search"), {"q": "Osborn"}).status_code == 200
    assert kinds(worker.user) == ["list", "list", "view", "view", "search"]
    listed = AccessLog.objects.filter(user=worker.user, path=reverse("case_list"))
    assert set(listed.values_list("object_id", flat=True)) == {
        world["cases"]["mine"].pk,
        world["cases"]["colleagues"].pk,
    }
    found = AccessLog.objects.filter(user=worker.user, kind="search")
    assert ("person", child.pk) in set(found.values_list("object_type", "object_id"))


def test_the_dashboard_drill_down_is_a_list_and_its_csv_an_export(
    client,
    supervisor,
    worker,
    removed,  # noqa: F811
    family,  # noqa: F811
):
    client.force_login(supervisor.user)
    url = reverse("contacts_dashboard")
    assert client.get(url).status_code == 200  # counts only: no record disclosed
    assert not AccessLog.objects.exists()
    assert client.get(url, {"worker": worker.pk}).status_code == 200
    assert client.get(url, {"worker": worker.pk, "format": "csv"}).status_code == 200
    assert kinds(supervisor.user) == ["list", "export"]
    exported = AccessLog.objects.filter(kind="export")
    assert set(exported.values_list("object_type", "case_id")) == {
        ("obligation", family["case"].pk)
    }


def test_rows_say_who_with_which_roles_from_where(world, as_user):
    worker = world["staff"]["worker"]
    case = world["cases"]["mine"]
    as_user(worker).get(reverse("case_detail", args=[case.pk]), REMOTE_ADDR="192.0.2.7")
    row = AccessLog.objects.get(user=worker.user)
    assert (row.kind, row.channel, row.object_type, row.object_id, row.case_id) == (
        "view",
        "web",
        "case",
        case.pk,
        case.pk,
    )
    assert row.roles == Role.CASE_MANAGER and row.client_address == "192.0.2.7"
    assert row.path == reverse("case_detail", args=[case.pk])


def test_behind_a_trusted_proxy_the_forwarded_client_address_is_kept(worker, settings):
    forwarded = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 198.51.100.4"}
    assert audit.client_address(request_as(worker.user, **forwarded)) == "10.0.0.2"
    settings.HEARTH_PROXY_COUNT = 1
    # The entry the proxy added, not the one the client wrote itself.
    assert audit.client_address(request_as(worker.user, **forwarded)) == "198.51.100.4"


def test_a_refused_read_of_an_existing_record_is_logged_with_the_same_404(world, as_user):
    rival = world["staff"]["rival_sup"]
    case = world["cases"]["mine"]
    child = case.members.first().person
    c = as_user(rival)
    hidden = c.get(reverse("case_detail", args=[case.pk]))
    missing = c.get(reverse("case_detail", args=[case.pk + 10_000]))
    assert hidden.status_code == missing.status_code == 404
    assert same_page(hidden, missing)
    hidden = c.get(reverse("person_detail", args=[child.pk]))
    missing = c.get(reverse("person_detail", args=[child.pk + 10_000]))
    assert hidden.status_code == missing.status_code == 404
    assert same_page(hidden, missing)
    rows = AccessLog.objects.filter(user=rival.user).order_by("pk")
    assert list(rows.values_list("kind", "object_type", "object_id", "case_id")) == [
        ("refused", "case", case.pk, case.pk),
        ("refused", "person", child.pk, None),
    ]


# --- The chain ----------------------------------------------------------------------------


def _three_rows(world):
    worker = world["staff"]["worker"]
    for case in (world["cases"]["mine"], world["cases"]["colleagues"]):
        audit.log_access(request_as(worker.user), audit.VIEW, case)
    audit.log_access(request_as(worker.user), audit.LIST, [world["cases"]["mine"]])
    return list(AccessLog.objects.order_by("pk"))


def test_each_row_is_chained_to_the_one_before(world):
    rows = _three_rows(world)
    previous = AccessLogChain.GENESIS
    for row in rows:
        assert row.row_hash == audit.row_hash(previous, row)
        previous = row.row_hash
    chain = AccessLogChain.objects.get(pk=1)
    assert (chain.head_id, chain.head_hash) == (rows[-1].pk, rows[-1].row_hash)
    assert verify() == f"Access log chain intact: 3 rows (rows {rows[0].pk} to {rows[-1].pk}).\n"


def test_verify_names_the_first_changed_row(world):
    rows = _three_rows(world)
    tamper("UPDATE core_accesslog SET object_id = %s WHERE id = %s", [999, rows[1].pk])
    with pytest.raises(CommandError, match=f"row {rows[1].pk} .* does not follow from row "):
        verify()
    report = audit.verify_chain()
    assert (report.intact, report.broken_at, report.rows) == (False, rows[1].pk, 1)


def test_verify_detects_a_removed_row_and_a_removed_tail(world):
    rows = _three_rows(world)
    tamper("DELETE FROM core_accesslog WHERE id = %s", [rows[2].pk])
    with pytest.raises(CommandError, match=f"ends at row {rows[1].pk}.* head is row {rows[2].pk}"):
        verify()
    tamper("DELETE FROM core_accesslog WHERE id = %s", [rows[0].pk])
    assert audit.verify_chain().broken_at == rows[1].pk


def test_verify_starts_at_the_anchor_after_an_archive(world):
    rows = _three_rows(world)
    tamper("DELETE FROM core_accesslog WHERE id <= %s", [rows[1].pk])
    AccessLogChain.objects.filter(pk=1).update(anchor_id=rows[1].pk, anchor_hash=rows[1].row_hash)
    assert verify() == f"Access log chain intact: 1 rows (rows {rows[2].pk} to {rows[2].pk}).\n"


@only_postgres
def test_the_database_refuses_update_and_delete(world):
    rows = _three_rows(world)
    for attempt in (
        lambda: AccessLog.objects.filter(pk=rows[0].pk).update(path="/elsewhere"),
        lambda: AccessLog.objects.filter(pk=rows[0].pk).delete(),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            attempt()
    assert AccessLog.objects.get(pk=rows[0].pk).path == rows[0].path
    assert "intact: 3 rows" in verify()


@only_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_appenders_keep_one_chain():
    worker = StaffFactory(roles=[Role.CASE_MANAGER])
    people = PersonFactory.create_batch(3)
    start = threading.Barrier(4)
    errors = []

    def append():
        try:
            start.wait()
            for _ in range(10):
                audit.log_access(request_as(worker.user), audit.LIST, people)
        except Exception as exc:  # reported below: a thread's failure must fail the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=append) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert AccessLog.objects.count() == 4 * 10 * 3
    assert "intact: 120 rows" in verify()
