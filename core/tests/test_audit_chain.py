"""The audit log's hash chain (core.auditchain): an edit, a deletion or an insertion made behind
the app's back (raw SQL, as a database administrator could) is named by ``longdan audit verify``."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import close_old_connections, connection

from core import auditchain
from core.models import AuditChainHead, AuditEntry
from core.services import audit
from longdan.commands import main as longdan_main


def _entries(n: int, **fields) -> list[AuditEntry]:
    return [
        audit(actor=None, action="update", object_type="orgs.orgunit",
              summary=f"Sửa đơn vị lần {i}", data={"lần": i, "trường": ["tên", "mã"]}, **fields)
        for i in range(n)
    ]


def _sql(statement: str, params: list) -> None:
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(statement.format(table=table), params)


def _verify_cli(capsys) -> tuple[int, dict]:
    code = longdan_main(["audit", "verify", "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_every_row_is_linked_to_the_one_before(db, an, cell_a, capsys):
    entries = _entries(4, unit=cell_a)
    audit(actor=an, action="login", obj=an, summary="an đăng nhập")
    rows = list(AuditEntry.objects.order_by("pk"))
    assert rows[0].prev_hash == auditchain.GENESIS
    for before, after in zip(rows, rows[1:], strict=False):
        assert after.prev_hash == before.hash and len(after.hash) == 64
    head = AuditChainHead.objects.get(pk=1)
    assert head.last_hash == rows[-1].hash and head.rows == len(rows) == 5
    code, report = _verify_cli(capsys)
    assert code == 0 and report == {"ok": True, "rows": 5, "last_hash": rows[-1].hash,
                                    "broken": None}
    assert entries[0].hash == rows[0].hash


def test_an_edited_row_is_named(db, capsys):
    entries = _entries(5)
    _sql("UPDATE {table} SET summary = %s WHERE id = %s", ["Không có gì", entries[2].pk])
    code, report = _verify_cli(capsys)
    assert code == 1
    assert report["broken"]["entry_id"] == entries[2].pk and report["broken"]["kind"] == "edited"
    assert f"số {entries[2].pk} đã bị sửa" in report["broken"]["message"]
    longdan_main(["audit", "verify"])
    assert "KHÔNG nguyên vẹn" in capsys.readouterr().out


@pytest.mark.parametrize("column, value", [
    ("at", "2020-01-01 00:00:00"), ("data", '{"lần": 99}'), ("action", "delete"),
])
def test_any_edited_column_is_seen(db, column, value):
    entries = _entries(3)
    _sql(f"UPDATE {{table}} SET {column} = %s WHERE id = %s", [value, entries[1].pk])
    broken = auditchain.verify().broken
    assert broken and broken.entry_id == entries[1].pk


def test_a_deleted_row_is_named_by_the_row_after_it(db, capsys):
    entries = _entries(5)
    _sql("DELETE FROM {table} WHERE id = %s", [entries[2].pk])
    code, report = _verify_cli(capsys)
    assert code == 1 and report["broken"]["kind"] == "link"
    assert report["broken"]["entry_id"] == entries[3].pk
    assert f"sau dòng số {entries[1].pk}" in report["broken"]["message"]


def test_deleting_the_newest_rows_is_seen_at_the_head(db):
    entries = _entries(5)
    _sql("DELETE FROM {table} WHERE id >= %s", [entries[3].pk])
    broken = auditchain.verify().broken
    assert broken.kind == "tail" and broken.entry_id == entries[2].pk


def test_an_inserted_row_is_named(db):
    entries = _entries(3)
    forged = AuditEntry.objects.get(pk=entries[1].pk)
    _sql("INSERT INTO {table} (at, action, object_type, object_id, summary, data, prev_hash,"
         " hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
         [forged.at, "delete", "orgs.orgunit", "", "Chèn thêm", "{}", forged.hash, "f" * 64])
    broken = auditchain.verify().broken
    assert broken.kind == "edited" and broken.entry_id > entries[2].pk


def test_a_forged_row_with_a_right_hash_still_breaks_the_next_link(db):
    entries = _entries(3)
    kept = AuditEntry.objects.get(pk=entries[0].pk)
    fake = AuditEntry(at=kept.at, action="delete", object_type="x", summary="Chèn", data={})
    fake_hash = auditchain.entry_hash(fake, kept.hash)
    # Squeezed between rows 0 and 1 by id is impossible with a serial id; put it at the end
    # with a valid hash over row 2: the head no longer matches.
    last = AuditEntry.objects.get(pk=entries[2].pk)
    fake_hash = auditchain.entry_hash(fake, last.hash)
    _sql("INSERT INTO {table} (at, action, object_type, object_id, summary, data, prev_hash,"
         " hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
         [kept.at, "delete", "x", "", "Chèn", "{}", last.hash, fake_hash])
    broken = auditchain.verify().broken
    assert broken is not None and broken.kind == "tail"


def test_the_migration_links_rows_written_before_the_chain(db):
    from importlib import import_module

    from django.apps import apps

    entries = _entries(3)
    AuditEntry.objects.update(prev_hash="", hash="")
    AuditChainHead.objects.all().delete()
    assert auditchain.verify().broken is not None
    migration = import_module("core.migrations.0012_audit_hash_chain")
    migration.chain_existing_rows(apps, None)
    report = auditchain.verify()
    assert report.broken is None and report.rows == 3
    assert AuditEntry.objects.get(pk=entries[2].pk).hash == report.last_hash


def test_entries_are_never_updated_through_the_orm(db):
    entry = _entries(1)[0]
    entry.summary = "khác"
    with pytest.raises(ValueError):
        entry.save()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_writers_keep_one_chain():
    """Four threads (four connections) append at once: one unbroken chain, no link shared.

    PostgreSQL only: the SQLite test database is in memory with a shared cache, whose table
    locks fail at once instead of waiting (a file database serialises writers, IMMEDIATE)."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent connections: PostgreSQL")
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(10):
                audit(actor=None, action="update", object_type="t", summary=f"{n}-{i}")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    report = auditchain.verify()
    assert report.broken is None and report.rows == 40
    assert len(set(AuditEntry.objects.values_list("prev_hash", flat=True))) == 40
