"""What accounts and corrections cost: storing facts with corrections re-applied, and a request's
identification (no account, session cookie, API key), each beside its baseline.

    python bench/accounts.py [--documents 2000] [--facts 10] [--corrected 200] [--requests 300]

1. `replace_facts` for every document of a SQLite store, as a re-extraction does, with 1 in 10
   documents carrying a correction; baseline: the same writes with corrections not re-applied.
2. GET /api/v1/facts?per_page=1 through the app in process (TestClient, one client, sequential):
   without an account, with a session cookie, with an API key; baseline: /static/style.css.
Prints one table; nothing leaves this machine.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from fastapi.testclient import TestClient

import assay.store.facts as facts_module
from assay.editorial import accounts
from assay.model import Basis, Fact
from assay.store.corrections import correct_fact
from assay.store.db import Store, open_store
from assay.store.documents import save_document
from assay.store.facts import FactFilter, query_facts, replace_facts
from assay.web import WebSettings, create_app

FACT = Fact(
    doc="d", commodity="magnesium", metric="exports", geo="CN", period="2024-05", value=6140.0, unit="t",
    basis=Basis.ACTUAL, quote="exports totaled 6,140 t", start=0, end=23, rule="exports-level", rule_version="3",
)  # fmt: skip


def document_facts(n: int) -> list[Fact]:
    return [replace(FACT, value=FACT.value + i, start=i * 30, end=i * 30 + 23) for i in range(n)]


def build(store: Store, documents: int, per_document: int, corrected: int) -> list[int]:
    from assay.model import Document

    ids = []
    with store.transaction() as session:
        for n in range(documents):
            name = f"doc-{n}"
            doc = Document(name, f"/bench/{name}.txt", name.ljust(64, "0")[:64], clean_text="")
            ids.append(save_document(session, doc, name.ljust(64, "1")[:64]))
            replace_facts(session, ids[-1], document_facts(per_document))
    with store.transaction() as session:
        for doc_id in ids[:: max(1, documents // max(corrected, 1))][:corrected]:
            first = query_facts(session, FactFilter(document_id=doc_id, limit=1))[0]
            correct_fact(session, first.id, {"value": 1.0}, "bench", "bench")
    return ids


def time_rewrites(store: Store, ids: list[int], per_document: int) -> float:
    start = time.perf_counter()
    with store.transaction() as session:
        for doc_id in ids:
            replace_facts(session, doc_id, document_facts(per_document))
    return time.perf_counter() - start


def p50_ms(call: Callable[[], object], count: int) -> float:
    times = []
    for _ in range(count):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--facts", type=int, default=10)
    parser.add_argument("--corrected", type=int, default=200)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        with open_store(url) as store:
            ids = build(store, args.documents, args.facts, args.corrected)
            with_corrections = time_rewrites(store, ids, args.facts)
            applied = facts_module.apply_corrections
            facts_module.apply_corrections = lambda session, document_id: 0  # type: ignore[assignment]
            try:
                baseline = time_rewrites(store, ids, args.facts)
            finally:
                facts_module.apply_corrections = applied
            with store.transaction() as session:
                accounts.add_user(session, "bench", "a long enough password", "reader", "bench")
                user = accounts.repo.get_user(session, "bench")
                assert user is not None
                secret = accounts.create_api_key(session, user, "bench").secret
        per_doc = 1000 / args.documents
        rows.append(
            (
                f"replace_facts, {args.facts} facts/doc, {args.corrected} corrected docs",
                f"{with_corrections * per_doc:.2f} ms/doc",
                f"{baseline * per_doc:.2f} ms/doc",
            )
        )
        import os

        os.environ.setdefault("ASSAY_SECRET_FILE", str(Path(folder) / "key"))
        with TestClient(create_app(WebSettings(database_url=url))) as client:
            static = p50_ms(lambda: client.get("/static/style.css"), args.requests)
            path = "/api/v1/facts?per_page=1"
            anonymous = p50_ms(lambda: client.get(path), args.requests)
            keyed = p50_ms(lambda: client.get(path, headers={"Authorization": f"Bearer {secret}"}), args.requests)
            token = client.get("/login").text.split('name="csrf" value="')[1][:64]
            client.post("/login", data={"name": "bench", "password": "a long enough password", "csrf": token})
            session_ms = p50_ms(lambda: client.get(path), args.requests)
        for label, value in (("no account", anonymous), ("session cookie", session_ms), ("API key", keyed)):
            rows.append((f"GET {path}, {label}", f"{value:.2f} ms p50", f"{static:.2f} ms p50 (static file)"))
    width = max(len(r[0]) for r in rows)
    print(f"{'measure'.ljust(width)}  {'value':>16}  baseline")
    for label, value, base in rows:
        print(f"{label.ljust(width)}  {value:>16}  {base}")


if __name__ == "__main__":
    main()
