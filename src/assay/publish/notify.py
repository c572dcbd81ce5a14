"""Delivering the outbox: mail over SMTP (plain text and HTML) and webhooks (JSON, HMAC-SHA256 signed).

Settings come from the environment or a TOML file (ASSAY_CONFIG, default ~/.config/assay/config.toml):

    [mail]                          # or ASSAY_SMTP_HOST, _PORT, _USER, _PASSWORD, _FROM, _STARTTLS, _SSL
    host = "smtp.example.com"
    port = 587
    starttls = true
    user = "alerts@example.com"     # the password belongs in ASSAY_SMTP_PASSWORD, not in a file in a repo
    from = "assay <alerts@example.com>"
    [webhook]                       # or ASSAY_WEBHOOK_SECRET, ASSAY_WEBHOOK_TIMEOUT
    secret = "..."
    timeout = 10

A failed attempt (refused, timed out, HTTP error) keeps the message queued for a later attempt,
after a wait that doubles each time (RETRY_BASE up to RETRY_MAX); a message sent is never sent again.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import os
import smtplib
import ssl
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from assay.publish.digest import Digest, digest_html, digest_markdown
from assay.store.db import Store
from assay.store.watch import Message, Notification, claim_due, mark_retry, mark_sent, utc_now

RETRY_BASE = timedelta(minutes=1)
RETRY_MAX = timedelta(hours=6)
SIGNATURE_HEADER = "X-Assay-Signature"  # "sha256=" + hex HMAC-SHA256 of the body with the shared secret
DELIVERY_HEADER = "X-Assay-Delivery"  # the message key: the same on every attempt, for receivers to dedupe
USER_AGENT = "assay-notify/0.1"


class DeliveryError(Exception):
    """One attempt failed; the message stays queued."""


@dataclass(frozen=True)
class MailSettings:
    host: str | None = None
    port: int = 25
    user: str | None = None
    password: str | None = None
    sender: str = "assay <assay@localhost>"
    starttls: bool = False
    ssl: bool = False
    timeout_s: float = 20.0


@dataclass(frozen=True)
class WebhookSettings:
    secret: str | None = None
    timeout_s: float = 10.0


@dataclass(frozen=True)
class NotifySettings:
    mail: MailSettings = field(default_factory=MailSettings)
    webhook: WebhookSettings = field(default_factory=WebhookSettings)


def _truthy(value: object) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def load_settings(environ: dict[str, str] | None = None) -> NotifySettings:
    """The environment over the config file over the defaults."""
    env = dict(os.environ if environ is None else environ)
    path = Path(env.get("ASSAY_CONFIG") or Path.home() / ".config" / "assay" / "config.toml")
    config: dict[str, Any] = {}
    if path.is_file():
        try:
            config = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise DeliveryError(f"{path}: cannot read the config file ({exc})") from exc
    mail: dict[str, Any] = dict(config.get("mail") or {})
    hook: dict[str, Any] = dict(config.get("webhook") or {})
    for key in ("host", "port", "user", "password", "from", "starttls", "ssl", "timeout"):
        if env.get(f"ASSAY_SMTP_{key.upper()}"):
            mail[key] = env[f"ASSAY_SMTP_{key.upper()}"]
    for key in ("secret", "timeout"):
        if env.get(f"ASSAY_WEBHOOK_{key.upper()}"):
            hook[key] = env[f"ASSAY_WEBHOOK_{key.upper()}"]
    return NotifySettings(
        MailSettings(
            host=mail.get("host"),
            port=int(mail.get("port", 25)),
            user=mail.get("user"),
            password=mail.get("password"),
            sender=str(mail.get("from") or MailSettings.sender),
            starttls=_truthy(mail.get("starttls", False)),
            ssl=_truthy(mail.get("ssl", False)),
            timeout_s=float(mail.get("timeout", 20)),
        ),
        WebhookSettings(secret=hook.get("secret"), timeout_s=float(hook.get("timeout", 10))),
    )


def check_target(target: str) -> str | None:
    """Why `target` cannot receive notifications, or None when it can."""
    if target.startswith("mailto:"):
        address = target.removeprefix("mailto:")
        return None if "@" in address and " " not in address.strip() else "not a mail address"
    parts = urlsplit(target)
    if parts.scheme in ("http", "https") and parts.hostname:
        return None
    return "give mailto:ADDRESS or an http(s) URL"


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def send_mail(message: Message, settings: MailSettings) -> None:
    if not settings.host:
        raise DeliveryError("no SMTP server configured (ASSAY_SMTP_HOST or [mail] host in the config file)")
    mail = EmailMessage()
    mail["Subject"] = message.subject
    mail["From"] = settings.sender
    mail["To"] = message.target.removeprefix("mailto:")
    mail["Message-ID"] = make_msgid(idstring=hashlib.sha256(message.key.encode()).hexdigest()[:16], domain="assay")
    mail.set_content(message.text)
    mail.add_alternative(message.html, subtype="html")
    try:
        smtp: smtplib.SMTP
        if settings.ssl:
            smtp = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=settings.timeout_s, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout_s)
        with smtp:
            if settings.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.user:
                smtp.login(settings.user, settings.password or "")
            refused = smtp.send_message(mail)
        if refused:
            raise DeliveryError(f"SMTP server refused {', '.join(refused)}")
    except smtplib.SMTPResponseException as exc:
        raise DeliveryError(f"SMTP {exc.smtp_code}: {_text(exc.smtp_error)}") from None
    except smtplib.SMTPRecipientsRefused as exc:
        codes = "; ".join(f"{rcpt}: {code} {_text(why)}" for rcpt, (code, why) in exc.recipients.items())
        raise DeliveryError(f"SMTP refused the recipient ({codes})") from None
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"SMTP {settings.host}:{settings.port}: {exc}") from None


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def post_webhook(message: Message, settings: WebhookSettings) -> None:
    body = json.dumps(message.payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    parts = urlsplit(message.target)
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT, DELIVERY_HEADER: message.key}
    if settings.secret:
        headers[SIGNATURE_HEADER] = sign(body, settings.secret)
    host = parts.hostname or ""
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(
            host, parts.port, timeout=settings.timeout_s, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(host, parts.port, timeout=settings.timeout_s)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(64 * 1024)
    except TimeoutError:
        raise DeliveryError(f"webhook {host} timed out after {settings.timeout_s:g}s") from None
    except (OSError, http.client.HTTPException) as exc:
        raise DeliveryError(f"webhook {host}: {exc or type(exc).__name__}") from None
    finally:
        connection.close()
    if not 200 <= response.status < 300:
        raise DeliveryError(f"webhook {host} answered HTTP {response.status} {response.reason}".rstrip())


def send(message: Message, settings: NotifySettings) -> None:
    """One attempt to deliver `message` to its target (raises DeliveryError)."""
    if message.target.startswith("mailto:"):
        send_mail(message, settings.mail)
    else:
        post_webhook(message, settings.webhook)


def retry_wait(attempts: int) -> timedelta:
    """The wait before attempt number `attempts + 1`: RETRY_BASE doubled per failure, at most RETRY_MAX."""
    wait: timedelta = RETRY_BASE * 2 ** max(attempts - 1, 0)
    return min(wait, RETRY_MAX)


@dataclass
class DeliveryReport:
    sent: list[Notification] = field(default_factory=list)
    retrying: list[tuple[Notification, str, datetime]] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.retrying)

    def sent_lines(self) -> list[str]:
        return [f"sent: {n.message.subject} → {n.message.target}" for n in self.sent]

    def error_lines(self) -> list[str]:
        """One line per failed attempt, `TARGET: reason (...)`, for the CLI's `error:` lines."""
        return [
            f"{n.message.target}: {why} (attempt {n.attempts + 1}; retrying after {when:%Y-%m-%d %H:%M:%S} UTC)"
            for n, why, when in self.retrying
        ]


def deliver_due(store: Store, now: datetime | None = None, settings: NotifySettings | None = None) -> DeliveryReport:
    """Attempt every message that is due; each outcome is committed before the next attempt."""
    now = now or utc_now()
    settings = settings or load_settings()
    report = DeliveryReport()
    with store.write_session() as session, session.begin():  # two senders never claim the same message
        due = claim_due(session, now)
    for notification in due:
        try:
            send(notification.message, settings)
        except DeliveryError as exc:
            attempts = notification.attempts + 1
            when = now + retry_wait(attempts)
            with store.transaction() as session:
                mark_retry(session, notification.id, str(exc), when)
            report.retrying.append((notification, str(exc), when))
            continue
        with store.transaction() as session:
            mark_sent(session, notification.id, utc_now())
        report.sent.append(notification)
    return report


def digest_message(digest: Digest, target: str, now: datetime) -> Message:
    """The digest for one subscriber; at most one a day per subscriber (the key holds the date)."""
    about = digest.options.commodity or "all commodities"
    text = digest_markdown(digest)
    return Message(
        key=f"digest|{target}|{about}|{now:%Y-%m-%d}",
        target=target,
        subject=f"assay digest ({about}) {now:%Y-%m-%d}",
        text=text,
        html=digest_html(digest),
        payload={
            "kind": "digest",
            "commodity": digest.options.commodity,
            "since": digest.options.since.isoformat(),
            "markdown": text,
        },
    )
