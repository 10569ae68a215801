"""Backups that restore (issue 10): ``core.backup`` and ``longdan backup`` / ``longdan restore``.

The SQLite tests work on a throw-away migrated file (made once per module by ``manage.py
migrate`` in a subprocess), not on the in-memory test database, since the backup reads a file
while another connection writes to it. The PostgreSQL round trip runs only when DATABASE_URL is
PostgreSQL, on databases named test_backup_*.
"""

from __future__ import annotations

import io
import os
import sqlite3
import struct
import subprocess
import sys
import tarfile
import threading
from pathlib import Path

import pytest

from core import backup, backup_crypto
from core.backup import BackupError, Place

ROOT = Path(__file__).resolve().parents[2]


def _env(var_dir: Path, database_url: str | None = None,
         extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
           and not k.startswith("LONGDAN_BACKUP_")}
    env["LONGDAN_VAR_DIR"] = str(var_dir)
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(extra or {})
    return env


def longdan(var_dir: Path, *argv: str, database_url: str | None = None,
            extra: dict[str, str] | None = None):
    return subprocess.run([sys.executable, "-m", "longdan.commands", *argv],
                          env=_env(var_dir, database_url, extra), capture_output=True, text=True,
                          timeout=180, cwd=ROOT)


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    """A migrated SQLite file (the app's schema and the rows its migrations seed)."""
    var = tmp_path_factory.mktemp("migrated")
    result = subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], env=_env(var),
                            capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return var / "longdan.sqlite3"


@pytest.fixture
def live(migrated, tmp_path) -> Place:
    """A VAR_DIR with its own copy of the migrated database and a trained model's files."""
    var = tmp_path / "live"
    var.mkdir()
    source, target = sqlite3.connect(migrated), sqlite3.connect(var / "longdan.sqlite3")
    source.backup(target)
    target.execute("PRAGMA journal_mode = WAL")  # as the app runs it
    source.close()
    target.close()
    (var / "models" / "topic" / "v0001").mkdir(parents=True)
    (var / "models" / "topic" / "CURRENT").write_text("v0001\n")
    (var / "models" / "topic" / "v0001" / "model.json").write_text('{"classes": ["an ninh"]}')
    (var / "secret_key").write_text("do-not-ship-me")
    return Place("sqlite", var, sqlite_path=var / "longdan.sqlite3")


def _fresh(tmp_path: Path, name: str = "restored") -> Place:
    var = tmp_path / name
    var.mkdir()
    return Place("sqlite", var, sqlite_path=var / "longdan.sqlite3")


def _insert_item(conn: sqlite3.Connection, n: int) -> int:
    cursor = conn.execute(
        "INSERT INTO intake_opinionitem (text, text_folded, masked_kinds, channel, received_on,"
        " attitude, reach, latent, sensitivity, source_link, suggested_attitude,"
        " suggestion_model, labels_confirmed, wants_reply, created_at, version)"
        " VALUES (?, '', '[]', 'meeting', '2025-11-20', '', '', 0, 'normal', '', '', '', 0, 0,"
        " '2025-11-20 09:00:00', 1)", (f"Ý kiến số {n} về đường ngõ 12",))
    conn.commit()
    return cursor.lastrowid


class Writer(threading.Thread):
    """Keeps inserting opinion items, one committed transaction each, until stopped."""

    def __init__(self, path: Path):
        super().__init__(daemon=True)
        self.path, self.committed, self.stop = path, [], threading.Event()
        self.enough = threading.Event()

    def run(self):
        conn = sqlite3.connect(self.path, timeout=30)
        try:
            n = 0
            while not self.stop.is_set():
                self.committed.append(_insert_item(conn, n))
                n += 1
                if n >= 50:
                    self.enough.set()
        finally:
            conn.close()


def _tables_of(path: Path) -> dict:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return backup.sqlite_tables(conn)
    finally:
        conn.close()


def test_a_backup_while_items_are_written_restores_every_committed_item(live, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    writer = Writer(live.sqlite_path)
    writer.start()
    assert writer.enough.wait(30)
    before = list(writer.committed)  # committed before the backup started
    result = backup.create_backup(out, live)
    after = len(writer.committed)
    writer.stop.set()
    writer.join(30)
    assert len(writer.committed) > after or after > len(before)  # the writer went on meanwhile

    assert result.path.parent == out and result.path.name.startswith("longdan-")
    assert [p.name for p in out.iterdir()] == [result.path.name]  # no temporary left behind
    target = _fresh(tmp_path)
    manifest = backup.restore_backup(result.path, target)

    restored = _tables_of(target.sqlite_path)
    assert restored == manifest["tables"] and len(restored) > 80
    conn = sqlite3.connect(target.sqlite_path)
    ids = {row[0] for row in conn.execute("SELECT id FROM intake_opinionitem")}
    conn.close()
    assert set(before) <= ids
    assert manifest["tables"]["intake_opinionitem"]["rows"] == len(ids) >= len(before)
    assert manifest["migrations"]["intake"] and manifest["vendor"] == "sqlite"
    assert (target.var_dir / "models" / "topic" / "v0001" / "model.json").read_text() == (
        '{"classes": ["an ninh"]}')
    assert not (target.var_dir / "secret_key").exists()
    assert "files/models/topic/CURRENT" in manifest["files"]
    assert not any(name.endswith("secret_key") for name in manifest["files"])


def _snapshot(place: Place) -> tuple[dict, list[str]]:
    return _tables_of(place.sqlite_path), sorted(p.name for p in place.var_dir.iterdir())


def test_a_restore_into_a_database_with_rows_is_refused_and_changes_nothing(live, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    archive = backup.create_backup(out, live).path
    conn = sqlite3.connect(live.sqlite_path)
    _insert_item(conn, 1)
    conn.close()
    before = _snapshot(live)
    with pytest.raises(BackupError, match="không trống"):
        backup.restore_backup(archive, live)
    assert _snapshot(live) == before


def _rewrite(archive: Path, target: Path, change) -> None:
    """A copy of ``archive`` with each member's bytes passed through ``change(name, data)``."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as sink:
        for member in source:
            data = change(member.name, source.extractfile(member).read())
            member.size = len(data)
            sink.addfile(member, io.BytesIO(data))


def _flip_one_byte_of_the_database(name: str, data: bytes) -> bytes:
    if not name.startswith("database/"):
        return data
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1:]


def _assert_nothing_written(place: Place) -> None:
    assert list(place.var_dir.iterdir()) == []


def test_a_tampered_or_damaged_archive_is_refused_with_nothing_written(live, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    archive = backup.create_backup(out, live).path
    tampered = tmp_path / "tampered.tar.gz"
    _rewrite(archive, tampered, _flip_one_byte_of_the_database)
    target = _fresh(tmp_path)
    with pytest.raises(BackupError, match="database/longdan.sqlite3.*không khớp mã kiểm tra"):
        backup.restore_backup(tampered, target)
    _assert_nothing_written(target)

    damaged = tmp_path / "damaged.tar.gz"
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    with pytest.raises(BackupError, match="hỏng"):
        backup.restore_backup(damaged, target)
    _assert_nothing_written(target)

    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(BackupError, match="hỏng"):
        backup.restore_backup(truncated, target)
    _assert_nothing_written(target)


def test_a_foreign_archive_is_refused_with_nothing_written(tmp_path):
    foreign = tmp_path / "photos.tar.gz"
    with tarfile.open(foreign, "w:gz") as tar:
        data = b"not a backup"
        info = tarfile.TarInfo("holiday/readme.txt")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    target = _fresh(tmp_path)
    with pytest.raises(BackupError, match="không phải tệp sao lưu Lòng Dân"):
        backup.restore_backup(foreign, target)
    plain = tmp_path / "notes.txt"
    plain.write_text("hello")
    with pytest.raises(BackupError, match="không phải tệp sao lưu Lòng Dân"):
        backup.restore_backup(plain, target)
    _assert_nothing_written(target)


def test_a_backup_of_another_vendor_is_refused(live, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    archive = backup.create_backup(out, live).path
    renamed = tmp_path / "pg.tar.gz"

    def as_postgresql(name: str, data: bytes) -> bytes:
        if name == "manifest.json":
            return data.replace(b'"vendor": "sqlite"', b'"vendor": "postgresql"')
        return data

    _rewrite(archive, renamed, as_postgresql)
    target = _fresh(tmp_path)
    with pytest.raises(BackupError, match="PostgreSQL, không phục hồi được vào SQLite"):
        backup.restore_backup(renamed, target)
    _assert_nothing_written(target)


# --- the command ---------------------------------------------------------------------------------


def test_the_commands_print_the_path_and_refuse_with_one_line(live, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    made = longdan(live.var_dir, "backup", "--out", str(out))
    assert made.returncode == 0, made.stderr
    [archive] = out.iterdir()
    assert f"Đã sao lưu vào {archive}" in made.stdout

    fresh = tmp_path / "fresh"
    restored = longdan(fresh, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert "Đã phục hồi" in restored.stdout and "khớp tệp kê khai" in restored.stdout

    again = longdan(fresh, "restore", str(archive))
    assert again.returncode == 2 and again.stderr.startswith("Lỗi: ")
    assert "không trống" in again.stderr and "Traceback" not in again.stderr
    assert again.stderr.strip().count("\n") == 0

    missing = longdan(tmp_path / "other", "backup", "--out", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and missing.stderr.startswith("Lỗi: không tìm thấy thư mục")


def test_the_json_summary(live, tmp_path):
    import json

    out = tmp_path / "out"
    out.mkdir()
    made = longdan(live.var_dir, "backup", "--out", str(out), "--json")
    summary = json.loads(made.stdout)
    assert summary["vendor"] == "sqlite" and summary["tables"] > 80 and summary["files"] == 3
    assert Path(summary["path"]).exists()


def test_a_backup_of_the_demo_restores_every_table(tmp_path):
    demo = tmp_path / "demo"
    loaded = longdan(demo, "demo", "--months", "1")  # one month keeps it near 15 s
    assert loaded.returncode == 0, loaded.stderr
    (tmp_path / "out").mkdir()
    assert longdan(demo, "backup", "--out", str(tmp_path / "out")).returncode == 0
    [archive] = (tmp_path / "out").iterdir()
    fresh = tmp_path / "fresh"
    restored = longdan(fresh, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr

    source, copy = _tables_of(demo / "longdan.sqlite3"), _tables_of(fresh / "longdan.sqlite3")
    # The backup's own record was written before the snapshot (running) and finished after it.
    finished = source.pop("core_backuprun")
    assert copy.pop("core_backuprun")["rows"] == finished["rows"] == 1
    assert copy == source
    assert copy["intake_opinionitem"]["rows"] > 100 and copy["orgs_user"]["rows"] > 10
    with tarfile.open(archive) as tar:
        assert tar.extractfile("manifest.json").read().count(b'"rows"') == len(source) + 1


# --- the key: signature and encryption ----------------------------------------------------------

KEY = "k" * 10 + "một-khóa-đủ-dài-cho-bài-kiểm-tra-0123456789"
OTHER_KEY = "another-long-enough-backup-key-for-the-tests-9876"


def test_an_encrypted_backup_restores_only_with_its_key(live, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    result = backup.create_backup(out, live, secret=KEY)
    assert result.encrypted and result.signed and result.path.name.endswith(".tar.gz.enc")
    data = result.path.read_bytes()
    assert data.startswith(backup_crypto.MAGIC)
    # Neither the gzip stream nor the manifest's words can be read from the file.
    assert b"\x1f\x8b" not in data[:64] and b"intake_opinionitem" not in data
    with pytest.raises(tarfile.TarError):
        tarfile.open(result.path)

    for secret, refusal in ((None, "đã được mã hóa.*LONGDAN_BACKUP_KEY"),
                            (OTHER_KEY, "khóa sao lưu không đúng")):
        target = _fresh(tmp_path, f"refused-{bool(secret)}")
        with pytest.raises(BackupError, match=refusal):
            backup.restore_backup(result.path, target, secret=secret)
        _assert_nothing_written(target)

    target = _fresh(tmp_path)
    manifest = backup.restore_backup(result.path, target, secret=KEY)
    assert _tables_of(target.sqlite_path) == manifest["tables"] == result.manifest["tables"]
    assert (target.var_dir / "models" / "topic" / "CURRENT").read_text() == "v0001\n"
    assert sorted(p.name for p in target.var_dir.iterdir()) == ["longdan.sqlite3", "models"]


def test_a_damaged_cut_or_reordered_encrypted_archive_is_refused(live, tmp_path, monkeypatch):
    monkeypatch.setattr(backup_crypto, "CHUNK", 4096)  # many chunks from a small database
    out = tmp_path / "out"
    out.mkdir()
    archive = backup.create_backup(out, live, secret=KEY).path
    data = archive.read_bytes()
    (length,) = struct.unpack(">I", data[8:12])
    body, block = 12 + length, 4096 + 16
    assert len(data) - body > 3 * block
    chunks = [data[body + i * block: body + (i + 1) * block]
              for i in range((len(data) - body + block - 1) // block)]
    variants = {
        "flipped": data[:len(data) // 2] + bytes([data[len(data) // 2] ^ 1])
        + data[len(data) // 2 + 1:],
        "cut at a chunk's end": data[:body + 2 * block],
        "cut inside a chunk": data[:body + 2 * block + 100],
        "two chunks swapped": data[:body] + chunks[1] + chunks[0] + b"".join(chunks[2:]),
        "a chunk dropped": data[:body] + chunks[0] + b"".join(chunks[2:]),
    }
    for name, variant in variants.items():
        bad = tmp_path / "bad.tar.gz.enc"
        bad.write_bytes(variant)
        target = _fresh(tmp_path, name.replace(" ", "-"))
        with pytest.raises(BackupError, match="không xác thực được"):
            backup.restore_backup(bad, target, secret=KEY)
        _assert_nothing_written(target)


@pytest.mark.parametrize("size", [0, 1, 4095, 4096, 4097, 3 * 4096 + 5])
def test_the_stream_cipher_round_trips_any_length(tmp_path, monkeypatch, size):
    monkeypatch.setattr(backup_crypto, "CHUNK", 4096)
    plain = os.urandom(size)
    sealed, opened = tmp_path / "sealed", tmp_path / "opened"
    with open(sealed, "wb") as raw, backup_crypto.EncryptingWriter(raw, KEY) as writer:
        for start in range(0, size, 1000):  # in pieces, as gzip writes
            writer.write(plain[start:start + 1000])
    backup_crypto.decrypt_file(sealed, opened, KEY)
    assert opened.read_bytes() == plain


def _signed_copy(live: Place, tmp_path: Path) -> Path:
    out = tmp_path / "signed"
    out.mkdir()
    result = backup.create_backup(out, live, secret=KEY, encrypt=False)
    assert result.signed and not result.encrypted and result.path.name.endswith(".tar.gz")
    return result.path


def _forge_model(name: str, data: bytes, manifest_box: dict) -> bytes:
    """The model file replaced, its size and sha256 recomputed in the manifest."""
    import hashlib
    import json

    if name == "files/models/topic/v0001/model.json":
        forged = b'{"classes": ["forged"]}'
        manifest_box["files"][name] = {"size": len(forged),
                                       "sha256": hashlib.sha256(forged).hexdigest()}
        return forged
    if name == "manifest.json":
        return json.dumps(manifest_box, ensure_ascii=False, indent=2, sort_keys=True).encode()
    return data


def _forge(archive: Path, target: Path, *, drop_signature: bool = False) -> None:
    import json

    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        members = [(m, tar.extractfile(m).read()) for m in tar]
    _forge_model("files/models/topic/v0001/model.json", b"", manifest)
    with tarfile.open(target, "w:gz") as sink:
        for member, data in members:
            if drop_signature and member.name == "manifest.sig":
                continue
            data = _forge_model(member.name, data, manifest)
            member.size = len(data)
            sink.addfile(member, io.BytesIO(data))


def test_a_forged_archive_with_recomputed_checksums_fails_the_signature(live, tmp_path):
    archive = _signed_copy(live, tmp_path)
    forged = tmp_path / "forged.tar.gz"
    _forge(archive, forged)
    target = _fresh(tmp_path)
    with pytest.raises(BackupError, match="chữ ký của tệp kê khai không đúng"):
        backup.restore_backup(forged, target, secret=KEY)
    _assert_nothing_written(target)

    stripped = tmp_path / "stripped.tar.gz"
    _forge(archive, stripped, drop_signature=True)
    with pytest.raises(BackupError, match="không có chữ ký.*--allow-unsigned"):
        backup.restore_backup(stripped, target, secret=KEY)
    _assert_nothing_written(target)

    with pytest.raises(BackupError, match="có chữ ký, cần khóa"):
        backup.restore_backup(archive, target, secret=None)
    with pytest.raises(BackupError, match="khóa sao lưu không đúng"):
        backup.restore_backup(archive, target, secret=OTHER_KEY)
    _assert_nothing_written(target)

    backup.restore_backup(archive, target, secret=KEY)  # the genuine one
    assert "forged" not in (target.var_dir / "models/topic/v0001/model.json").read_text()


def test_the_commands_with_a_key_file(live, tmp_path):
    key = tmp_path / "keys" / "backup.key"
    key.parent.mkdir()
    made = longdan(tmp_path / "x", "backup-key", "--out", str(key))
    assert made.returncode == 0, made.stderr
    assert (key.stat().st_mode & 0o777) == 0o600 and len(key.read_text().strip()) >= 32
    again = longdan(tmp_path / "x", "backup-key", "--out", str(key))
    assert again.returncode == 2 and "đã có" in again.stderr

    out = tmp_path / "out"
    out.mkdir()
    refused = longdan(live.var_dir, "backup", "--out", str(out), "--encrypt")
    assert refused.returncode == 2 and "chưa có khóa sao lưu" in refused.stderr
    short = longdan(live.var_dir, "backup", "--out", str(out), extra={"LONGDAN_BACKUP_KEY": "ngắn"})
    assert short.returncode == 2 and "quá ngắn" in short.stderr
    assert list(out.iterdir()) == []

    with_key = {"LONGDAN_BACKUP_KEY_FILE": str(key)}
    made = longdan(live.var_dir, "backup", "--out", str(out), extra=with_key)
    assert made.returncode == 0, made.stderr
    assert "đã ký và mã hóa" in made.stdout
    [archive] = out.iterdir()
    assert archive.name.endswith(".tar.gz.enc")

    no_key = longdan(tmp_path / "a", "restore", str(archive))
    assert no_key.returncode == 2 and no_key.stderr.startswith("Lỗi: tệp sao lưu")
    assert "đã được mã hóa" in no_key.stderr and no_key.stderr.strip().count("\n") == 0
    wrong = longdan(tmp_path / "b", "restore", str(archive),
                    extra={"LONGDAN_BACKUP_KEY": OTHER_KEY})
    assert wrong.returncode == 2 and "khóa sao lưu không đúng" in wrong.stderr
    assert not (tmp_path / "b" / "longdan.sqlite3").exists()
    restored = longdan(tmp_path / "c", "restore", str(archive), extra=with_key)
    assert restored.returncode == 0, restored.stderr
    assert "khớp tệp kê khai" in restored.stdout


# --- PostgreSQL ----------------------------------------------------------------------------------


PG_URL = os.environ.get("DATABASE_URL", "")


def _psql(database: str, sql: str) -> None:
    base = PG_URL.rsplit("/", 1)[0]
    subprocess.run(["psql", f"{base}/{database}", "-qc", sql], check=True, capture_output=True)


@pytest.mark.skipif(not PG_URL.startswith("postgres"), reason="DATABASE_URL is not PostgreSQL")
def test_a_postgresql_round_trip(tmp_path):
    base = PG_URL.rsplit("/", 1)[0]
    for name in ("test_backup_src", "test_backup_dst"):
        _psql("postgres", f"DROP DATABASE IF EXISTS {name}")
        _psql("postgres", f"CREATE DATABASE {name}")
    src = tmp_path / "src"
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], check=True, cwd=ROOT,
                   env=_env(src, f"{base}/test_backup_src"), timeout=300)
    out = tmp_path / "out"
    out.mkdir()
    made = longdan(src, "backup", "--out", str(out), database_url=f"{base}/test_backup_src")
    assert made.returncode == 0, made.stderr
    [archive] = out.iterdir()
    import psycopg

    # Another machine's app connected to the target: refused, nothing restored.
    with psycopg.connect(f"{base}/test_backup_dst", application_name="longdan-web"):
        busy = longdan(tmp_path / "dst", "restore", str(archive), "--database-url",
                       f"{base}/test_backup_dst")
    assert busy.returncode == 2 and "kết nối khác" in busy.stderr and "longdan-web" in busy.stderr
    restored = longdan(tmp_path / "dst", "restore", str(archive), "--database-url",
                       f"{base}/test_backup_dst")
    assert restored.returncode == 0, restored.stderr
    again = longdan(tmp_path / "dst2", "restore", str(archive), "--database-url",
                    f"{base}/test_backup_dst")
    assert again.returncode == 2 and "không trống" in again.stderr
    # The databases stay for inspection; the next run drops them.
