"""The app's lock on VAR_DIR: a restore is refused while the app runs, and the app does not start
during a restore (issue 10).

Every running part of the app — ``longdan serve``, ``longdan worker``, ``longdan scheduler`` and
each web process (``longdan.wsgi``) — holds a *shared* ``flock`` on the VAR_DIR directory itself
for as long as it lives; ``longdan restore`` takes it *exclusively*. The kernel drops a lock when
its process ends, even by SIGKILL, so a lock never outlives a crashed app: a busy lock always
means a live process, and no ``--force`` is needed to clear a stale one. Nothing is written into
VAR_DIR for it.

It sees processes on this machine that use this VAR_DIR. Other machines on the same PostgreSQL
database are seen by the restore through their connections (``core.backup``). Platforms without
``fcntl`` (Windows) are not locked.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from core.errors import BackupError

try:
    import fcntl
except ImportError:  # pragma: no cover - not a server platform
    fcntl = None

RUNNING = ("ứng dụng Lòng Dân đang chạy trên thư mục dữ liệu '{var}' (longdan serve, worker,"
           " scheduler hoặc máy chủ web); hãy dừng ứng dụng trước khi phục hồi (ví dụ: systemctl"
           " stop 'longdan-*' hoặc Ctrl+C ở cửa sổ longdan serve), rồi chạy lại lệnh.")
RESTORING = ("đang phục hồi dữ liệu vào thư mục '{var}' (longdan restore); hãy chờ lệnh phục hồi"
             " xong rồi khởi động lại ứng dụng.")


class AppLock:
    """A lock on ``var_dir`` held until :meth:`release` (or the process ends)."""

    def __init__(self, var_dir: Path, fd: int | None):
        self.var_dir, self._fd = var_dir, fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the flock
            self._fd = None


def _lock(var_dir: Path, mode: int, refusal: str) -> AppLock:
    var_dir = Path(var_dir)
    if fcntl is None:
        return AppLock(var_dir, None)
    fd = os.open(var_dir, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | os.O_CLOEXEC)
    try:
        fcntl.flock(fd, mode | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise BackupError(refusal.format(var=var_dir)) from None
    return AppLock(var_dir, fd)


def hold_shared(var_dir: Path) -> AppLock:
    """For a running part of the app; refused while a restore holds the lock."""
    return _lock(var_dir, fcntl.LOCK_SH if fcntl else 0, RESTORING)


@contextlib.contextmanager
def exclusive(var_dir: Path):
    """For a restore; refused while any part of the app holds the lock."""
    lock = _lock(var_dir, fcntl.LOCK_EX if fcntl else 0, RUNNING)
    try:
        yield lock
    finally:
        lock.release()


def app_running(var_dir: Path) -> bool:
    try:
        with exclusive(var_dir):
            return False
    except BackupError:
        return True
