"""P9, the daily digest: `manage.py send_digests` emails each active worker with items
(overdue, or due within the agency's digest_horizon_days) through Django's email
framework, here over SMTP to a real server (aiosmtpd) started by the test; text and HTML;
a subject with the counts; case numbers but no person's name; once per worker per day."""

import email
import socket
from datetime import timedelta
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from hearth.core.models import AccessLog
from hearth.core.services import today
from hearth.obligations.models import Obligation
from hearth.planning.models import DigestSent
from tests.factories import PersonFactory, StaffFactory, make_case
from tests.planning.due.conftest import add


class Inbox:
    """An aiosmtpd handler that keeps each message it is given."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=policy.default))
        )
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    """A real SMTP server on localhost, and the settings that send to it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=controller.port,
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            DEFAULT_FROM_EMAIL="Hearth <hearth@agency.test>",
            HEARTH_BASE_URL="https://hearth.agency.test",
        ):
            yield inbox
    finally:
        controller.stop()


@pytest.fixture
def due_items(case, worker, clean):
    clean()
    worker.user.email = "cm@agency.test"
    worker.user.save()
    child = case.members.get(role="child").person
    add(case, rule="C1", days=-3, description="First case plan")
    add(case, rule="P5", days=2, source="placements", person=child, description="First contact")
    add(case, rule="C5", days=30, description="Family team meeting")  # beyond 7 days
    return child


def test_p9_the_digest_arrives_over_smtp_with_the_items(smtp, case, worker, due_items):
    call_command("send_digests")
    assert len(smtp.messages) == 1
    rcpt, msg = smtp.messages[0]
    assert rcpt == ["cm@agency.test"]
    assert msg["Subject"] == "Hearth: 1 overdue, 1 due in the next 7 days"
    assert msg["From"] == "Hearth <hearth@agency.test>"
    text = msg.get_body(preferencelist=("plain",)).get_content()
    html = msg.get_body(preferencelist=("html",)).get_content()
    for body in (text, html):
        assert "C1" in body and "First case plan" in body and case.case_number in body
        assert "P5" in body and "First contact" in body
        assert "Family team meeting" not in body  # outside digest_horizon_days
        assert due_items.first_name not in body and due_items.last_name not in body
        assert "https://hearth.agency.test/due/" in body
    assert "3 days overdue" in text and "2 days left" in text
    sent = DigestSent.objects.get(staff=worker)
    assert (sent.sent_on, sent.items) == (today(), 2)
    # The digest is a disclosure: its items are in the access log.
    assert AccessLog.objects.filter(user=worker.user, path="/due/digest/").count() == 2


def test_p9_sending_twice_the_same_day_sends_once(smtp, worker, due_items):
    call_command("send_digests")
    call_command("send_digests")
    assert len(smtp.messages) == 1
    assert DigestSent.objects.filter(staff=worker).count() == 1
    call_command("send_digests", date=(today() + timedelta(days=1)).isoformat())
    assert len(smtp.messages) == 2  # another day, another digest


def test_p9_no_digest_for_nothing_due_nor_for_inactive_or_addressless_staff(
    smtp, supervisor, worker, due_items
):
    quiet = StaffFactory(unit=worker.unit, user__email="quiet@agency.test")
    far = make_case(actor_staff=supervisor, worker=quiet, members=[(PersonFactory(), "child")])
    # Nothing overdue, nothing within 7 days: the engine's own rows for the new case (its
    # first plan, C1, already late for a case opened weeks ago) are taken away.
    Obligation.objects.filter(case=far).delete()
    add(far, rule="C5", days=40)
    noaddress = StaffFactory(unit=worker.unit)
    make_case(actor_staff=supervisor, worker=noaddress, members=[(PersonFactory(), "child")])
    worker.status = "on_leave"
    worker.save()
    call_command("send_digests")
    assert smtp.messages == []


def test_p9_a_mail_server_that_is_down_leaves_no_record_and_is_retried(worker, due_items):
    with (
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=_free_port(),  # nothing listens there
            EMAIL_TIMEOUT=2,
        ),
        pytest.raises(CommandError),
    ):
        call_command("send_digests")
    assert not DigestSent.objects.exists()


def test_p9_send_digests_refuses_a_bad_date(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_digests", date="30/11/2026")
