"""Backups that restore (issue 10): one archive with the database, the files the app keeps and a
manifest of row counts and checksums; a restore that verifies all of it before anything is in place.

The archive ``longdan-YYYYMMDD-HHMMSS.tar.gz`` holds ``manifest.json``, ``database/…`` (SQLite: a
copy made with the online backup API, consistent while the app writes; PostgreSQL: ``pg_dump
--format=custom``) and ``files/…`` (the trained text models under ``VAR_DIR/models``). The secret
key is left out on purpose: whoever holds it can sign sessions, and a backup travels further than
the server.

The row checksums are per vendor: SQLite hashes Python's ``repr`` of each row read by ``sqlite3``;
PostgreSQL hashes the server's text form of each row. Both order rows by primary key. A backup is
restored only into the vendor it was taken from, so the two never need to agree.

Django is needed only for PostgreSQL and for :meth:`Place.from_settings`; the SQLite path works on
files alone (the tests and, later, the scheduler call it directly).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from core import backup_crypto, runlock
from core.errors import BackupError

FORMAT = "longdan-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"  # HMAC-SHA256 of manifest.json with the backup key (core.backup_crypto)
# The directories under VAR_DIR worth keeping: the trained text models (textops.selectors).
# Not kept: cache/, static/ and mail/ (rebuilt or disposable), secret_key (see the docstring).
KEPT_DIRS = ("models",)
CHUNK = 1 << 20
ARCHIVE_PREFIX, PLAIN, ENCRYPTED = "longdan-", ".tar.gz", ".tar.gz.enc"


@dataclass(frozen=True)
class Place:
    """Where the app keeps its data: the database and VAR_DIR."""

    vendor: str  # "sqlite" | "postgresql"
    var_dir: Path
    sqlite_path: Path | None = None
    pg: dict = field(default_factory=dict)  # Django's DATABASES entry

    @classmethod
    def from_settings(cls) -> Place:
        from django.conf import settings

        db = settings.DATABASES["default"]
        var_dir = Path(settings.VAR_DIR)
        if db["ENGINE"] == "django.db.backends.sqlite3":
            return cls("sqlite", var_dir, sqlite_path=Path(db["NAME"]))
        if db["ENGINE"] == "django.db.backends.postgresql":
            return cls("postgresql", var_dir, pg=dict(db))
        raise BackupError(f"chưa hỗ trợ sao lưu cơ sở dữ liệu loại {db['ENGINE']}.")


@dataclass
class BackupResult:
    path: Path
    manifest: dict
    signed: bool = False
    encrypted: bool = False

    def summary(self) -> dict:
        tables = self.manifest["tables"]
        return {
            "path": str(self.path), "vendor": self.manifest["vendor"],
            "created_at": self.manifest["created_at"], "tables": len(tables),
            "rows": sum(t["rows"] for t in tables.values()),
            "files": len(self.manifest["files"]), "bytes": self.path.stat().st_size,
            "signed": self.signed, "encrypted": self.encrypted,
        }


# --- checksums -----------------------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sqlite_tables(conn: sqlite3.Connection) -> dict[str, dict]:
    """Row count and sha256 of every ordinary table (not the virtual FTS tables, whose rows live
    in their shadow tables, which are counted; not SQLite's own ``sqlite_*``)."""
    names = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%'"
        " ESCAPE '\\' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name")]
    return {name: _sqlite_table(conn, name) for name in names}


def _sqlite_table(conn: sqlite3.Connection, name: str) -> dict:
    columns = conn.execute(f"PRAGMA table_info({_quote(name)})").fetchall()
    keys = [c[1] for c in sorted((c for c in columns if c[5]), key=lambda c: c[5])]
    order = ", ".join(_quote(k) for k in (keys or [c[1] for c in columns]))
    digest, rows = hashlib.sha256(), 0
    for row in conn.execute(f"SELECT * FROM {_quote(name)} ORDER BY {order}"):
        digest.update(repr(row).encode("utf-8") + b"\n")
        rows += 1
    return {"rows": rows, "sha256": digest.hexdigest()}


def sqlite_migrations(conn: sqlite3.Connection) -> dict[str, str]:
    return _last_per_app(conn.execute("SELECT app, name FROM django_migrations ORDER BY id"))


def _last_per_app(rows) -> dict[str, str]:
    return {app: name for app, name in rows}  # later rows win: the last applied per app


def pg_tables(cursor) -> dict[str, dict]:
    cursor.execute(
        "SELECT c.relname, (SELECT array_agg(a.attname ORDER BY k.ord) FROM pg_index i"
        " CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)"
        " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
        " WHERE i.indrelid = c.oid AND i.indisprimary)"
        " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY c.relname")
    return {name: _pg_table(cursor, name, keys) for name, keys in cursor.fetchall()}


def _pg_table(cursor, name: str, keys: list[str] | None) -> dict:
    order = ", ".join(_quote(k) for k in keys) if keys else "t::text"
    cursor.execute(
        f"SELECT count(*), encode(sha256(convert_to(coalesce(string_agg(t::text, E'\\n'"
        f" ORDER BY {order}), ''), 'UTF8')), 'hex') FROM {_quote(name)} AS t")
    rows, digest = cursor.fetchone()
    return {"rows": rows, "sha256": digest}


# --- backup --------------------------------------------------------------------------------------


def create_backup(out_dir: Path, place: Place | None = None, *, now: dt.datetime | None = None,
                  revision: str | None = None, secret: str | None = None,
                  encrypt: bool | None = None) -> BackupResult:
    """Write ``out_dir/longdan-YYYYMMDD-HHMMSS.tar.gz`` (``.tar.gz.enc`` when encrypted) under a
    temporary name until complete. With ``secret`` the manifest is signed, and the archive is
    encrypted unless ``encrypt`` is False."""
    place = place or Place.from_settings()
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise BackupError(f"thư mục '{out_dir}' không tồn tại.")
    encrypt = bool(secret) if encrypt is None else encrypt
    if encrypt and not secret:
        raise BackupError("chưa có khóa sao lưu để mã hóa: hãy tạo khóa bằng `longdan backup-key`"
                          " rồi đặt LONGDAN_BACKUP_KEY_FILE (hoặc LONGDAN_BACKUP_KEY).")
    now = now or dt.datetime.now(dt.UTC)
    final = out_dir / f"{ARCHIVE_PREFIX}{now:%Y%m%d-%H%M%S}{ENCRYPTED if encrypt else PLAIN}"
    if final.exists():
        raise BackupError(f"tệp '{final}' đã có; hãy chờ một giây rồi chạy lại.")
    with tempfile.TemporaryDirectory(prefix=".longdan-backup-", dir=out_dir) as work:
        work = Path(work)
        snapshot = _snapshot_sqlite if place.vendor == "sqlite" else _snapshot_pg
        db_name, tables, migrations = snapshot(place, work)
        manifest = {
            "format": FORMAT, "version": FORMAT_VERSION, "app_revision": revision or _revision(),
            "vendor": place.vendor, "created_at": now.isoformat(timespec="seconds"),
            "checksum_method": f"{place.vendor}-rows-v1", "migrations": migrations,
            "tables": tables, "files": {},
        }
        members = [(f"database/{db_name}", work / db_name)] + list(_kept_files(place.var_dir))
        for arcname, path in members:
            manifest["files"][arcname] = {"size": path.stat().st_size, "sha256": sha256_file(path)}
        partial = work / (final.name + ".partial")
        _write_tar(partial, manifest, members, secret=secret, encrypt=encrypt)
        os.replace(partial, final)
    return BackupResult(final, manifest, signed=bool(secret), encrypted=encrypt)


def _snapshot_sqlite(place: Place, work: Path) -> tuple[str, dict, dict]:
    if not place.sqlite_path or not place.sqlite_path.exists():
        raise BackupError(f"không tìm thấy tệp cơ sở dữ liệu '{place.sqlite_path}'.")
    copy = work / "longdan.sqlite3"
    source = sqlite3.connect(f"file:{place.sqlite_path}?mode=ro", uri=True, timeout=30)
    target = sqlite3.connect(copy)
    try:
        # One step (pages=-1): a single read transaction, so the copy is one consistent moment;
        # in WAL mode the app's writers go on meanwhile.
        source.backup(target, pages=-1)
        target.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
        return copy.name, sqlite_tables(target), sqlite_migrations(target)
    finally:
        target.close()
        source.close()


def _snapshot_pg(place: Place, work: Path) -> tuple[str, dict, dict]:
    """pg_dump in the snapshot this transaction exports, so the counts and the dump agree."""
    from django.db import connection, transaction

    dump = work / "longdan.pgdump"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        _run_pg("pg_dump", place.pg, "--format=custom", "--no-owner", "--no-privileges",
                f"--snapshot={snapshot}", f"--file={dump}")
        tables = pg_tables(cursor)
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        migrations = _last_per_app(cursor.fetchall())
    return dump.name, tables, migrations


def _run_pg(program: str, db: dict, *args: str) -> None:
    path = shutil.which(program)
    if path is None:
        raise BackupError(f"không tìm thấy chương trình {program}; hãy cài gói postgresql-client"
                          " cùng phiên bản với máy chủ PostgreSQL.")
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    command = [path, f"--dbname={db['NAME']}"]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            command.append(f"{flag}={db[key]}")
    result = subprocess.run([*command, *args], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        detail = (result.stderr.strip().splitlines() or ["?"])[-1]
        raise BackupError(f"{program} báo lỗi: {detail}")


def _kept_files(var_dir: Path):
    for name in KEPT_DIRS:
        root = var_dir / name
        if root.is_dir():
            for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
                yield f"files/{path.relative_to(var_dir).as_posix()}", path


def _write_tar(path: Path, manifest: dict, members, *, secret: str | None = None,
               encrypt: bool = False) -> None:
    data = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
    head = [(MANIFEST, data)] + ([(SIGNATURE, backup_crypto.sign(data, secret))] if secret else [])
    with open(path, "wb") as raw:
        sink = backup_crypto.EncryptingWriter(raw, secret) if encrypt else raw
        with tarfile.open(fileobj=sink, mode="w:gz", compresslevel=6) as tar:
            for name, content in head:
                info = tarfile.TarInfo(name)
                info.size, info.mtime, info.mode = len(content), int(time.time()), 0o600
                tar.addfile(info, io.BytesIO(content))
            for arcname, file in members:
                tar.add(file, arcname=arcname, recursive=False)
        if encrypt:
            sink.close()
        raw.flush()
        os.fsync(raw.fileno())


def _revision() -> str:
    try:
        from importlib.metadata import version

        release = version("longdan")
    except Exception:  # noqa: BLE001 - an uninstalled checkout has no metadata
        release = "?"
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, cwd=Path(__file__).parent, timeout=5)
        commit = head.stdout.strip() if head.returncode == 0 else ""
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return f"{release}+{commit}" if commit else release


# --- restore -------------------------------------------------------------------------------------


def read_archive(archive: Path, work: Path, *, secret: str | None = None,
                 allow_unsigned: bool = False) -> dict:
    """Unpack ``archive`` into ``work`` and check it against its manifest; the manifest.

    An encrypted archive is decrypted into ``work`` first (every chunk authenticated); a signed
    manifest is verified with ``secret`` before anything it lists is trusted. With a ``secret``
    an unsigned archive is refused unless ``allow_unsigned``: whoever can write a backup file
    could otherwise strip the signature and recompute every checksum."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"không tìm thấy tệp sao lưu '{archive}'.")
    source = archive
    if backup_crypto.is_encrypted(archive):
        source = work / ".decrypted.tar.gz"
        backup_crypto.decrypt_file(archive, source, secret)
    try:
        tar = tarfile.open(source, "r:*")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"'{archive.name}' không phải tệp sao lưu Lòng Dân hoặc đã hỏng (không"
                          " đọc được dạng .tar.gz).") from exc
    try:
        with tar:
            manifest, signed = _manifest(tar, archive, secret, allow_unsigned)
            _unpack(tar, manifest, work, signed)
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise BackupError(
            f"tệp sao lưu '{archive.name}' bị hỏng (không đọc trọn được): {exc}.") from exc
    finally:
        if source != archive:
            source.unlink(missing_ok=True)
    for arcname, expected in manifest["files"].items():
        if sha256_file(work / arcname) != expected["sha256"]:
            raise BackupError(f"tệp sao lưu bị hỏng: '{arcname}' không khớp mã kiểm tra.")
    return manifest


def _manifest(tar: tarfile.TarFile, archive: Path, secret: str | None,
              allow_unsigned: bool) -> tuple[dict, bool]:
    """The manifest, once its signature holds; and whether it was signed."""
    foreign = f"'{archive.name}' không phải tệp sao lưu Lòng Dân"
    try:
        raw = tar.extractfile(tar.getmember(MANIFEST)).read()
        manifest = json.loads(raw.decode("utf-8"))
    except (KeyError, AttributeError, ValueError) as exc:
        raise BackupError(f"{foreign} (thiếu hoặc hỏng {MANIFEST}).") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{foreign}.")
    signed = _verify_signature(tar, raw, secret, allow_unsigned)
    if manifest.get("version") != FORMAT_VERSION:
        raise BackupError(f"tệp sao lưu định dạng phiên bản {manifest.get('version')}; bản này"
                          f" chỉ đọc phiên bản {FORMAT_VERSION}.")
    return manifest, signed


def _verify_signature(tar: tarfile.TarFile, manifest: bytes, secret: str | None,
                      allow_unsigned: bool) -> bool:
    try:
        member = tar.getmember(SIGNATURE)
    except KeyError:
        if secret and not allow_unsigned:
            raise BackupError(
                "tệp sao lưu không có chữ ký, mà máy này đã đặt khóa sao lưu: có thể tệp đã bị"
                " thay. Nếu chắc chắn tệp là của mình (tạo trước khi có khóa), chạy lại với"
                " --allow-unsigned.") from None
        return False
    handle = tar.extractfile(member)
    if handle is None:
        raise BackupError(f"tệp sao lưu có thành phần '{SIGNATURE}' không hợp lệ.")
    backup_crypto.verify(manifest, handle.read(), secret)
    return True


def _unpack(tar: tarfile.TarFile, manifest: dict, work: Path, signed: bool) -> None:
    listed = set(manifest["files"]) | {MANIFEST} | ({SIGNATURE} if signed else set())
    seen = set()
    for member in tar:
        if member.name not in listed or not member.isfile() or member.name in seen:
            raise BackupError(f"tệp sao lưu có thành phần lạ '{member.name}' không ghi trong"
                              f" {MANIFEST}.")
        seen.add(member.name)
        if member.name in (MANIFEST, SIGNATURE):
            continue
        target = work / member.name  # names are checked against the manifest, never '..'
        if ".." in Path(member.name).parts or Path(member.name).is_absolute():
            raise BackupError(f"tệp sao lưu có đường dẫn không hợp lệ '{member.name}'.")
        target.parent.mkdir(parents=True, exist_ok=True)
        with tar.extractfile(member) as source, open(target, "wb") as sink:
            shutil.copyfileobj(source, sink, CHUNK)
    missing = listed - seen
    if missing:
        raise BackupError(
            f"tệp sao lưu bị hỏng hoặc không trọn vẹn: thiếu '{sorted(missing)[0]}'.")


def restore_backup(archive: Path, place: Place | None = None, *, secret: str | None = None,
                   allow_unsigned: bool = False) -> dict:
    """Restore into an empty database (and VAR_DIR without models); the manifest.

    Refused while the app runs on this VAR_DIR (:mod:`core.runlock`); holds the lock meanwhile, so
    the app cannot start during the restore either."""
    place = place or Place.from_settings()
    place.var_dir.mkdir(parents=True, exist_ok=True)
    with runlock.exclusive(place.var_dir):
        _refuse_unless_empty(place)
        with tempfile.TemporaryDirectory(prefix=".longdan-restore-", dir=place.var_dir) as work:
            work = Path(work)
            manifest = read_archive(archive, work, secret=secret, allow_unsigned=allow_unsigned)
            if manifest["vendor"] != place.vendor:
                raise BackupError(
                    f"tệp sao lưu lấy từ {_VENDORS.get(manifest['vendor'], manifest['vendor'])},"
                    f" không phục hồi được vào {_VENDORS[place.vendor]}; hãy phục hồi vào cùng"
                    " loại cơ sở dữ liệu.")
            if place.vendor == "sqlite":
                _restore_sqlite(place, work, manifest)
            else:
                _restore_pg(place, work, manifest)
    return manifest


_VENDORS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def _refuse_unless_empty(place: Place) -> None:
    if place.vendor == "sqlite":
        _refuse_sqlite_with_rows(place.sqlite_path)
    else:
        _refuse_pg_in_use()
        _refuse_pg_with_tables()
    for name in KEPT_DIRS:
        if (place.var_dir / name).exists() and any((place.var_dir / name).iterdir()):
            raise BackupError(f"thư mục '{place.var_dir / name}' đã có dữ liệu; hãy phục hồi vào"
                              " một thư mục var/ mới (biến LONGDAN_VAR_DIR).")


def _refuse_sqlite_with_rows(path: Path) -> None:
    if not path.exists():
        return
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        full = [name for name, facts in sqlite_tables(conn).items() if facts["rows"]]
    finally:
        conn.close()
    if full:
        raise BackupError(
            f"cơ sở dữ liệu '{path}' không trống ({len(full)} bảng có dữ liệu); phục hồi chỉ"
            " ghi vào cơ sở dữ liệu trống: đổi tên tệp cũ hoặc đặt LONGDAN_VAR_DIR sang một thư"
            " mục mới.")


def _refuse_pg_in_use() -> None:
    """Other sessions on the target database: the app (or someone) is connected to it from this
    or another machine, which the lock file in VAR_DIR cannot see."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), string_agg(DISTINCT coalesce(nullif(application_name, ''), '?')"
            " || ' @ ' || coalesce(host(client_addr), 'socket'), ', ') FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()")
        count, who = cursor.fetchone()
    if count:
        raise BackupError(
            f"đang có {count} kết nối khác tới cơ sở dữ liệu PostgreSQL"
            f" '{connection.settings_dict['NAME']}' ({who}): ứng dụng hoặc ai đó đang dùng nó."
            " Hãy dừng ứng dụng (longdan serve, worker, scheduler) và đóng các kết nối đó trước"
            " khi phục hồi.")


def _refuse_pg_with_tables() -> None:
    from django.db import connection

    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(
            f"cơ sở dữ liệu PostgreSQL '{connection.settings_dict['NAME']}' không trống"
            f" ({len(tables)} bảng); hãy tạo một cơ sở dữ liệu trống (createdb TÊN_MỚI) rồi"
            " phục hồi vào đó với --database-url.")


def _check_tables(found: dict, manifest: dict) -> None:
    expected = manifest["tables"]
    for name in sorted(set(expected) | set(found)):
        if name not in found or name not in expected:
            raise BackupError(f"bảng '{name}' có ở một bên mà không có ở bên kia sau phục hồi.")
        if found[name] != expected[name]:
            raise BackupError(
                f"bảng '{name}' sau phục hồi không khớp tệp kê khai ({found[name]['rows']} dòng,"
                f" tệp kê khai ghi {expected[name]['rows']}).")


def _restore_sqlite(place: Place, work: Path, manifest: dict) -> None:
    restored = work / "database" / "longdan.sqlite3"
    conn = sqlite3.connect(restored)
    try:
        status = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if status != "ok":
            raise BackupError(f"cơ sở dữ liệu trong tệp sao lưu không toàn vẹn: {status}.")
        _check_tables(sqlite_tables(conn), manifest)
        conn.execute("PRAGMA journal_mode = WAL")  # as the app runs it
    finally:
        conn.close()
    _move_into_place(work, place, restored)


def _move_into_place(work: Path, place: Place, restored: Path) -> None:
    """Files first, the database last: a failure takes back the files it moved."""
    moved = []
    try:
        for name in KEPT_DIRS:
            source, target = work / "files" / name, place.var_dir / name
            if source.is_dir():
                if target.exists():
                    target.rmdir()  # empty, checked before
                os.replace(source, target)
                moved.append(target)
        if place.sqlite_path.exists():
            _checkpoint(place.sqlite_path)
        for suffix in ("-wal", "-shm"):
            Path(f"{place.sqlite_path}{suffix}").unlink(missing_ok=True)
        os.replace(restored, place.sqlite_path)
    except BaseException:
        for target in moved:
            shutil.rmtree(target, ignore_errors=True)
        raise


def _checkpoint(path: Path) -> None:
    """The empty database's journal folded in, so no stale -wal meets the restored file."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def _restore_pg(place: Place, work: Path, manifest: dict) -> None:
    from django.db import connection

    _run_pg("pg_restore", place.pg, "--single-transaction", "--exit-on-error", "--no-owner",
            "--no-privileges", str(work / "database" / "longdan.pgdump"))
    try:
        with connection.cursor() as cursor:
            _check_tables(pg_tables(cursor), manifest)
        for name in KEPT_DIRS:
            source = work / "files" / name
            if source.is_dir():
                shutil.rmtree(place.var_dir / name, ignore_errors=True)
                os.replace(source, place.var_dir / name)
    except BaseException:
        _drop_restored(manifest)
        raise


def _drop_restored(manifest: dict) -> None:
    """The database was empty before; take the restored tables away again."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        for name in manifest["tables"]:
            cursor.execute(f"DROP TABLE IF EXISTS {_quote(name)} CASCADE")
