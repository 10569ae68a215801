"""The key that encrypts residents' personal data at rest (Law 91/2025, Decree 356/2025; issue 10).

The key lives outside the database, in this order:

1. ``LONGDAN_DATA_KEY_FILE``: a file with one Fernet key a line (``#`` starts a comment);
2. ``LONGDAN_DATA_KEY``: one or more Fernet keys separated by commas or spaces;
3. ``VAR_DIR/data_key``: made once (mode 0600) the first time a key is needed, **only while the
   database holds no encrypted value**, so the demo and the tests run with no set-up.

The first key encrypts; every key decrypts (``cryptography``'s MultiFernet), so a key is rotated
by putting a new one first, running ``longdan data-key rotate`` and then dropping the old one.
When the database already holds encrypted values and no key is found (a server moved without its
key, an environment variable forgotten), every read and write of them is refused with
:class:`DataKeyError`, and ``longdan serve`` and ``longdan worker`` refuse to start: nothing is ever
stored in clear, and no second key is made that would strand the first one's data.

The backup (``core.backup``) never copies ``data_key``: keep a copy of the key apart from the
backups, or a restored database cannot be read, and a stolen backup cannot either.
"""

from __future__ import annotations

import os
import re
import secrets
import threading
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

from core.errors import ServiceError

KEY_ENV, KEY_FILE_ENV = "LONGDAN_DATA_KEY", "LONGDAN_DATA_KEY_FILE"
KEY_FILE_NAME = "data_key"
# Stored values start with this marker: an encrypted value is told from a clear one (the rows
# before the migration that encrypted them) without trying a key.
PREFIX = "enc1:"
KEY_HELP = (
    "đặt LONGDAN_DATA_KEY_FILE (đường dẫn tệp khóa, nằm ngoài thư mục sao lưu) hoặc"
    " LONGDAN_DATA_KEY bằng khóa đã dùng để mã hóa; tạo khóa mới bằng `longdan data-key new`"
)

_lock = threading.Lock()
_cached: dict[tuple, MultiFernet] = {}


class DataKeyError(ServiceError):
    """No usable key for the personal data (missing, malformed, or not the one that encrypted)."""

    status_code = 503


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")


def key_path() -> Path:
    return Path(settings.VAR_DIR) / KEY_FILE_NAME


def _parse(text: str, source: str) -> list[str]:
    keys = []
    for line in text.splitlines():
        line = line.split("#", 1)[0]
        keys.extend(k for k in re.split(r"[\s,]+", line) if k)
    for key in keys:
        try:
            Fernet(key.encode("ascii"))
        except (ValueError, UnicodeEncodeError) as exc:
            raise DataKeyError(
                f"Khóa mã hóa dữ liệu cá nhân ({source}) không hợp lệ: cần khóa Fernet 44 ký tự;"
                f" {KEY_HELP}."
            ) from exc
    return keys


def configured_keys() -> tuple[list[str], str] | None:
    """The keys set in the environment (file first) and where they came from, or None."""
    path = os.environ.get(KEY_FILE_ENV, "").strip()
    if path:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise DataKeyError(
                f"Không đọc được tệp khóa mã hóa dữ liệu cá nhân '{path}' ({KEY_FILE_ENV}):"
                f" {exc.strerror or exc}."
            ) from exc
        keys = _parse(text, f"tệp {path}")
        if not keys:
            raise DataKeyError(f"Tệp khóa mã hóa dữ liệu cá nhân '{path}' rỗng; {KEY_HELP}.")
        return keys, f"tệp {path}"
    value = os.environ.get(KEY_ENV, "").strip()
    if value:
        return _parse(value, KEY_ENV), KEY_ENV
    return None


def encrypted_data_exists() -> bool:
    """Whether any encrypted column of any model holds an encrypted value (raw SQL: no key)."""
    return _one_encrypted_value() is not None


def _write_new_key(path: Path) -> None:
    # Written whole under a private name, then linked into place: of two racing processes exactly
    # one key wins, and a reader never sees half a key (as settings._secret_key does).
    temp = path.with_name(f".{KEY_FILE_NAME}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(
            "# Khóa mã hóa thông tin liên hệ của người dân (Lòng Dân). Giữ một bản ngoài bản sao"
            " lưu;\n# mất khóa là mất thông tin liên hệ đã mã hóa.\n" + new_key() + "\n"
        )
    try:
        os.link(temp, path)
    except FileExistsError:
        pass
    finally:
        temp.unlink()


def _keys() -> tuple[list[str], str]:
    configured = configured_keys()
    if configured:
        return configured
    path = key_path()
    if not path.exists():
        if encrypted_data_exists():
            raise DataKeyError(
                "Không tìm thấy khóa mã hóa dữ liệu cá nhân, trong khi cơ sở dữ liệu đã có thông"
                f" tin liên hệ của người dân được mã hóa: {KEY_HELP}. Ứng dụng không tự tạo khóa"
                " mới, vì khóa mới không đọc được dữ liệu cũ."
            )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            _write_new_key(path)
        except OSError as exc:
            raise DataKeyError(
                f"Không tạo được tệp khóa mã hóa dữ liệu cá nhân '{path}': {exc.strerror or exc};"
                f" {KEY_HELP}."
            ) from exc
    return _parse(path.read_text(encoding="utf-8"), f"tệp {path}"), f"tệp {path}"


def fernet() -> MultiFernet:
    """The MultiFernet of the configured keys (the first encrypts), made once per key set."""
    ident = (
        os.environ.get(KEY_FILE_ENV, ""),
        os.environ.get(KEY_ENV, ""),
        str(key_path()),
    )
    with _lock:
        found = _cached.get(ident)
        if found is None:
            keys, _source = _keys()
            found = MultiFernet([Fernet(k.encode("ascii")) for k in keys])
            _cached.clear()
            _cached[ident] = found
        return found


def reset() -> None:
    """Forget the keys read so far (tests, and after ``longdan data-key rotate``)."""
    with _lock:
        _cached.clear()


def key_source() -> str:
    """Where the key in use comes from, for the system page and ``longdan data-key status``."""
    return _keys()[1]


def encrypt(value: str) -> str:
    return PREFIX + fernet().encrypt(value.encode("utf-8")).decode("ascii")


def is_encrypted(value: str) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def decrypt(value: str) -> str:
    try:
        return fernet().decrypt(value[len(PREFIX):].encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise DataKeyError(
            "Khóa mã hóa dữ liệu cá nhân hiện có không giải mã được dữ liệu đã lưu (khóa khác"
            f" với khóa đã dùng khi mã hóa): {KEY_HELP}."
        ) from exc


def rotate(value: str) -> str:
    """The value encrypted again with the first key (MultiFernet.rotate)."""
    token = fernet().rotate(value[len(PREFIX):].encode("ascii"))
    return PREFIX + token.decode("ascii")


def ensure_ready() -> str:
    """Refuse to start (DataKeyError) when the key is missing or wrong for the stored data;
    returns where the key comes from. Called by ``longdan serve`` and ``longdan worker``."""
    source = key_source()
    sample = _one_encrypted_value()
    if sample is not None:
        decrypt(sample)  # a wrong key fails here, at start, rather than on a resident's page
    return source


# Set by ``longdan serve`` for its children once it has run :func:`ensure_ready` itself.
CHECKED_ENV = "LONGDAN_DATA_KEY_CHECKED"


def refuse_to_start_without_key() -> None:
    """:func:`ensure_ready` for a process that is not the command line (a web process behind a
    bare gunicorn): exits with the message. Skipped in the web processes of ``longdan serve``,
    which checked before starting them (``CHECKED_ENV``). A database not reachable yet is not
    this check's business: its pages answer 503 (core.unavailable) until it is."""
    import os

    from django.db.utils import Error as DatabaseError

    if os.environ.get(CHECKED_ENV) == "1":
        return
    try:
        ensure_ready()
    except DataKeyError as exc:
        raise SystemExit(exc.message) from exc
    except DatabaseError:
        pass


def _one_encrypted_value() -> str | None:
    from django.apps import apps
    from django.db import connection

    from core.fields import EncryptedTextField

    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for model in apps.get_models():
            if model._meta.db_table not in tables:
                continue
            for field in model._meta.concrete_fields:
                if isinstance(field, EncryptedTextField):
                    cursor.execute(
                        f"SELECT {connection.ops.quote_name(field.column)} FROM"  # noqa: S608
                        f" {connection.ops.quote_name(model._meta.db_table)}"
                        f" WHERE {connection.ops.quote_name(field.column)} LIKE %s LIMIT 1",
                        [PREFIX + "%"],
                    )
                    row = cursor.fetchone()
                    if row:
                        return row[0]
    return None


def rotate_all() -> int:
    """Encrypt every stored value again with the first key (after a new key was put first);
    one transaction, one audit entry; returns how many values changed."""
    from django.apps import apps
    from django.db import connection, transaction

    from core.fields import EncryptedTextField
    from core.models import AuditEntry
    from core.services import audit

    quote = connection.ops.quote_name
    changed = 0
    with transaction.atomic():
        for model in apps.get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
            if not fields:
                continue
            table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
            with connection.cursor() as cursor:
                for field in fields:
                    column = quote(field.column)
                    cursor.execute(
                        f"SELECT {pk}, {column} FROM {table} WHERE {column} LIKE %s",  # noqa: S608
                        [PREFIX + "%"],
                    )
                    for row_pk, value in cursor.fetchall():
                        new = rotate(value)
                        cursor.execute(
                            f"UPDATE {table} SET {column} = %s WHERE {pk} = %s",  # noqa: S608
                            [new, row_pk],
                        )
                        changed += 1
        audit(actor=None, action=AuditEntry.Action.UPDATE, object_type="core.datakey",
              summary=f"Mã hóa lại {changed} giá trị dữ liệu cá nhân bằng khóa mới",
              data={"rows": changed})
    return changed
