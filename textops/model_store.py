"""The trained text models in the database, mirrored into each machine's ``VAR_DIR/models``.

Several machines share one PostgreSQL database and each has its own ``LONGDAN_VAR_DIR`` (issue
10): a model trained by one worker must be the one every web process and worker uses. So a
trained version is published as a :class:`textops.models.TextModel` row (its files zipped, with
their SHA-256), in the transaction of the training run; ``VAR_DIR/models`` is only a local cache
that :func:`sync` fills from the rows: a version folder missing or not matching its checksum is
written again (into a temporary folder, then renamed), and ``CURRENT`` names the newest row.
The text engine keeps reading folders (``Suggester.from_root``), as ``longdan text`` does.

An installation whose database has no row of a kind (models trained before this change) keeps
using the folders it has, until the next training publishes one.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tempfile
import threading
import zipfile
from pathlib import Path

from django.conf import settings
from django.db import transaction

from textops.models import TextModel

FILES = ("meta.json", "vocab.json", "weights.npy", "bias.npy", "idf.npy")
CHECKSUM_FILE = ".sha256"

_lock = threading.Lock()
_seen: dict[str, tuple] = {}  # per process: the rows last mirrored, by VAR_DIR


def models_root() -> Path:
    return Path(settings.VAR_DIR) / "models"


def pack(folder: Path) -> bytes:
    """The version folder's files as one zip (fixed order and times: same files, same bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in FILES:
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, (folder / name).read_bytes())
    return buffer.getvalue()


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def next_version(kind: str) -> str:
    """The number after the newest published version of ``kind`` (v0001 for the first)."""
    numbers = [int(v[1:]) for v in TextModel.objects.filter(kind=kind)
               .values_list("version", flat=True) if v[1:].isdigit()]
    return f"v{(max(numbers) + 1 if numbers else 1):04d}"


def publish(kind: str, trained: Path, meta: dict) -> TextModel:
    """Store the version trained into the folder ``trained`` as the newest of ``kind``, under
    the next number; its ``meta.json`` is rewritten with ``meta`` and that version. Called inside
    the training run's transaction (which holds the training lock): a rolled-back run publishes
    nothing. The local cache gets the folder at once, and ``CURRENT`` names it once committed."""
    version = next_version(kind)
    meta = {**meta, "version": version}
    (trained / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2), "utf-8")
    data = pack(trained)
    row = TextModel.objects.create(kind=kind, version=version, data=data,
                                   checksum=checksum(data), meta=meta)
    _write(models_root() / kind, version, data, row.checksum, point=False)
    _seen.pop(str(models_root()), None)
    transaction.on_commit(sync)
    return row


def rows() -> tuple:
    """(kind, version, checksum) of every published version, without their bytes: one query."""
    return tuple(TextModel.objects.order_by("kind", "pk")
                 .values_list("kind", "version", "checksum"))


def sync() -> tuple:
    """Make ``VAR_DIR/models`` mirror the published versions; return the rows seen.

    One small query when nothing changed (per process, remembered by VAR_DIR); otherwise the
    missing or damaged version folders are written and each kind's ``CURRENT`` names its newest
    row. Safe with other processes on the same folder (renames are atomic)."""
    root = models_root()
    seen = rows()
    if _seen.get(str(root)) == seen:
        return seen
    with _lock:
        newest: dict[str, str] = {}
        for kind, version, digest in seen:
            newest[kind] = version
            folder = root / kind / version
            if _stored_checksum(folder) != digest:
                row = TextModel.objects.only("data").get(kind=kind, version=version)
                data = bytes(row.data)
                if checksum(data) != digest:
                    raise ValueError(f"mô hình {kind} {version} trong CSDL hỏng (sai SHA-256)")
                _write(root / kind, version, data, digest, point=False)
        for kind, version in newest.items():
            _point(root / kind, version)
        _seen[str(root)] = seen
    return seen


def _stored_checksum(folder: Path) -> str | None:
    try:
        return (folder / CHECKSUM_FILE).read_text(encoding="ascii").strip()
    except OSError:
        return None


def _write(kind_root: Path, version: str, data: bytes, digest: str, *,
           point: bool = True) -> None:
    """Unpack one version into ``kind_root/version`` (via a temporary folder and a rename) and
    point ``CURRENT`` at it."""
    kind_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{version}-", dir=kind_root))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in FILES:
                (staging / name).write_bytes(archive.read(name))
        (staging / CHECKSUM_FILE).write_text(digest + "\n", encoding="ascii")
        target = kind_root / version
        if target.exists():
            shutil.rmtree(target, ignore_errors=True)
        try:
            os.rename(staging, target)
        except OSError:  # another process of this machine wrote it first
            if _stored_checksum(target) != digest:
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if point:
        _point(kind_root, version)


def _point(kind_root: Path, version: str) -> None:
    pointer = kind_root / "CURRENT"
    try:
        if pointer.read_text(encoding="utf-8").strip() == version:
            return
    except OSError:
        pass
    temporary = kind_root / f".CURRENT-{os.getpid()}-{threading.get_ident()}"
    temporary.write_text(version + "\n", encoding="utf-8")
    os.replace(temporary, pointer)
