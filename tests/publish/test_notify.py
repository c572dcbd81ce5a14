"""Delivering the outbox to a real local SMTP server (aiosmtpd) and a real local HTTP receiver:
messages are sent once, failures are retried later with a growing wait, nothing is lost."""

from __future__ import annotations

import email
import hashlib
import hmac
import json
import threading
from datetime import timedelta
from email.message import Message as MailMessage
from pathlib import Path

import pytest

from assay.publish.notify import (
    DELIVERY_HEADER,
    SIGNATURE_HEADER,
    MailSettings,
    NotifySettings,
    WebhookSettings,
    check_target,
    deliver_due,
    load_settings,
    retry_wait,
)
from assay.store.db import Store, open_store
from assay.store.watch import Message, enqueue, list_notifications, utc_now
from receivers import SLOW_S, Received, smtp_server, webhook_receiver

SECRET = "test-secret"


def queue(store: Store, target: str, key: str = "k1") -> None:
    message = Message(
        key=key,
        target=target,
        subject="Magnesium exports up 25%",
        text="plain body",
        html="<p>html body</p>",
        payload={"kind": "watch", "value": 25},
    )
    with store.transaction() as session:
        assert enqueue(session, message)


def settings(port: int = 25, timeout_s: float = 10.0) -> NotifySettings:
    return NotifySettings(
        MailSettings(host="127.0.0.1", port=port, timeout_s=5.0), WebhookSettings(secret=SECRET, timeout_s=timeout_s)
    )


def states(store: Store) -> list[tuple[str, int]]:
    with store.session() as session:
        return [(n.state, n.attempts) for n in list_notifications(session)]


def test_mail_goes_out_once_with_plain_text_and_html(store: Store) -> None:
    received = Received()
    with smtp_server(received) as port:
        queue(store, "mailto:analyst@example.com")
        report = deliver_due(store, settings=settings(port))
        again = deliver_due(store, now=utc_now() + timedelta(days=1), settings=settings(port))
    assert len(report.sent) == 1 and not report.failed and not again.sent
    assert len(received.items) == 1
    headers, content = received.items[0]
    assert headers["rcpt"] == "analyst@example.com"
    mail: MailMessage = email.message_from_bytes(content)
    assert mail["Subject"] == "Magnesium exports up 25%"
    parts = {part.get_content_type(): part.get_payload(decode=True) for part in mail.walk()}
    assert parts["text/plain"].strip() == b"plain body" and parts["text/html"].strip() == b"<p>html body</p>"
    assert states(store) == [("sent", 1)]


def test_a_refusing_smtp_server_gets_the_message_later_and_only_once(store: Store) -> None:
    received = Received(plan=["500"])
    with smtp_server(received) as port:
        queue(store, "mailto:analyst@example.com")
        first = deliver_due(store, settings=settings(port))
        assert first.failed == 1 and "451" in first.retrying[0][1]
        assert states(store) == [("pending", 1)] and received.items == []
        too_soon = deliver_due(store, settings=settings(port))  # the wait has not passed
        later = deliver_due(store, now=utc_now() + timedelta(minutes=2), settings=settings(port))
        after = deliver_due(store, now=utc_now() + timedelta(days=2), settings=settings(port))
    assert not too_soon.sent and len(later.sent) == 1 and not after.sent
    assert len(received.items) == 1 and states(store) == [("sent", 2)]


def test_without_an_smtp_server_configured_the_mail_waits(store: Store) -> None:
    queue(store, "mailto:analyst@example.com")
    report = deliver_due(store, settings=NotifySettings())
    assert report.failed == 1 and "no SMTP server configured" in report.retrying[0][1]
    assert states(store) == [("pending", 1)]


def test_a_webhook_gets_signed_json(store: Store) -> None:
    received = Received()
    with webhook_receiver(received) as url:
        queue(store, url, key="watch|1|f0-5")
        report = deliver_due(store, settings=settings())
    assert len(report.sent) == 1
    headers, body = received.items[0]
    assert json.loads(body) == {"kind": "watch", "value": 25}
    assert headers["Content-Type"] == "application/json"
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert headers[SIGNATURE_HEADER] == expected
    assert headers[DELIVERY_HEADER] == "watch|1|f0-5"


def test_a_webhook_that_times_out_is_retried_later_and_then_left_alone(store: Store) -> None:
    received = Received(plan=["slow", "500"])
    with webhook_receiver(received) as url:
        queue(store, url)
        first = deliver_due(store, settings=settings(timeout_s=SLOW_S / 4))
        assert first.failed == 1 and "timed out" in first.retrying[0][1]
        second = deliver_due(store, now=utc_now() + timedelta(minutes=2), settings=settings())
        assert second.failed == 1 and "HTTP 500" in second.retrying[0][1]
        third = deliver_due(store, now=utc_now() + timedelta(minutes=5), settings=settings())
        fourth = deliver_due(store, now=utc_now() + timedelta(days=3), settings=settings())
    assert len(third.sent) == 1 and not fourth.sent and states(store) == [("sent", 3)]
    # the receiver saw three attempts of one delivery id (it may dedupe on it), and no request after success
    assert [h[DELIVERY_HEADER] for h, _ in received.items] == ["k1", "k1", "k1"]


def test_the_same_match_is_queued_once(store: Store) -> None:
    queue(store, "mailto:a@example.com", key="watch|1|f0-9")
    message = Message(key="watch|1|f0-9", target="mailto:a@example.com", subject="s", text="t", html="h", payload={})
    with store.transaction() as session:
        assert not enqueue(session, message)
    assert len(states(store)) == 1


def test_the_wait_doubles_up_to_a_limit() -> None:
    assert [retry_wait(n) for n in (1, 2, 3)] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert retry_wait(30) == timedelta(hours=6)


def test_settings_come_from_the_environment_over_the_config_file(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[mail]\nhost = "smtp.example.com"\nport = 587\nstarttls = true\n[webhook]\nsecret = "s1"\n')
    loaded = load_settings({"ASSAY_CONFIG": str(config), "ASSAY_SMTP_PORT": "2525", "ASSAY_SMTP_PASSWORD": "pw"})
    assert (loaded.mail.host, loaded.mail.port, loaded.mail.starttls, loaded.mail.password) == (
        "smtp.example.com",
        2525,
        True,
        "pw",
    )
    assert loaded.webhook.secret == "s1"
    assert load_settings({"ASSAY_CONFIG": str(tmp_path / "absent.toml")}).mail.host is None


@pytest.mark.parametrize(
    ("target", "ok"),
    [
        ("mailto:a@example.com", True),
        ("https://hooks.example.com/x", True),
        ("mailto:nobody", False),
        ("ftp://example.com", False),
        ("example.com", False),
    ],
)
def test_targets_are_checked(target: str, ok: bool) -> None:
    assert (check_target(target) is None) == ok


def test_two_senders_at_once_send_each_message_once(store: Store) -> None:
    received = Received()
    with webhook_receiver(received) as url:
        for number in range(6):
            queue(store, url, key=f"k{number}")
        second = open_store(store.url)
        reports = []
        threads = [
            threading.Thread(target=lambda s=s: reports.append(deliver_due(s, settings=settings())))
            for s in (store, second)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        second.close()
    keys = sorted(h[DELIVERY_HEADER] for h, _ in received.items)
    assert keys == [f"k{n}" for n in range(6)]
    assert sum(len(r.sent) for r in reports) == 6
