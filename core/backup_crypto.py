"""The backup key: the manifest's signature and the archive's encryption (issue 10).

The key lives outside the database and outside the backup: ``LONGDAN_BACKUP_KEY_FILE`` (a path,
wins) or ``LONGDAN_BACKUP_KEY``, at least :data:`MIN_KEY_CHARS` characters. From it and a random
salt kept in each archive, scrypt derives three independent 32-byte keys: one encrypts, one signs,
and the first bytes of the third are stored as a *key check*, so a restore tells "wrong key" apart
from "the file was changed" before it reads anything else.

- **Signature.** ``manifest.sig`` in the archive: HMAC-SHA256 of ``manifest.json`` exactly as
  stored. The manifest holds the sha256 of every file and of every table's rows, so a forged
  archive with recomputed checksums fails the signature unless the forger holds the key.
- **Encryption.** The whole ``.tar.gz`` as a stream of AES-256-GCM chunks of :data:`CHUNK` bytes
  (the STREAM construction of Hoang, Reyhanitabar, Rogaway and Vizár, as in age and Tink): each
  chunk's nonce is a random 7-byte prefix, its 4-byte index and a byte that marks the last chunk,
  and each authenticates the header. Chunks cannot be reordered, dropped, or cut off at the end
  unnoticed, and neither side ever holds more than one chunk in memory. The primitives are the
  ``cryptography`` library's (OpenSSL); only the framing is here.

File layout: :data:`MAGIC`, a 4-byte big-endian header length, the header (JSON: cipher, chunk
size, scrypt parameters and salt, key check, nonce prefix), then the chunks.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import os
import secrets
import struct
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from core.errors import BackupError

KEY_ENV, KEY_FILE_ENV = "LONGDAN_BACKUP_KEY", "LONGDAN_BACKUP_KEY_FILE"
MIN_KEY_CHARS = 32
MAGIC = b"LDBKAE01"
CHUNK = 1 << 20
TAG = 16
SCRYPT = {"name": "scrypt", "n": 1 << 15, "r": 8, "p": 1}
CHECK_BYTES = 16
KEY_HELP = ("đặt LONGDAN_BACKUP_KEY_FILE (đường dẫn tệp khóa) hoặc LONGDAN_BACKUP_KEY bằng khóa đã"
            " dùng khi sao lưu")


# --- the key -------------------------------------------------------------------------------------


def configured_secret() -> str | None:
    """The backup key from the environment, or None when none is set."""
    path = os.environ.get(KEY_FILE_ENV, "").strip()
    if path:
        try:
            secret = Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise BackupError(f"không đọc được tệp khóa sao lưu '{path}' ({KEY_FILE_ENV}):"
                              f" {exc.strerror or exc}.") from exc
        source = f"tệp {path}"
    else:
        secret = os.environ.get(KEY_ENV, "").strip()
        source = KEY_ENV
    if not secret:
        return None
    check_secret(secret, source)
    return secret


def check_secret(secret: str, source: str = "khóa sao lưu") -> None:
    if len(secret) < MIN_KEY_CHARS:
        raise BackupError(
            f"khóa sao lưu ({source}) quá ngắn: {len(secret)} ký tự, cần ít nhất {MIN_KEY_CHARS};"
            " hãy tạo khóa ngẫu nhiên bằng `longdan backup-key`.")


def new_secret() -> str:
    return secrets.token_urlsafe(32)  # 43 characters, 256 bits


@dataclass(frozen=True)
class Keys:
    encrypt: bytes
    sign: bytes
    check: bytes


@functools.lru_cache(maxsize=8)
def derive(secret: str, salt: bytes, n: int = SCRYPT["n"], r: int = SCRYPT["r"],
           p: int = SCRYPT["p"]) -> Keys:
    if not (1 << 10 <= n <= 1 << 20 and 1 <= r <= 32 and 1 <= p <= 16):
        raise BackupError("tệp sao lưu ghi tham số khóa không hợp lệ; tệp bị hỏng hoặc bị sửa.")
    material = Scrypt(salt=salt, length=96, n=n, r=r, p=p).derive(secret.encode("utf-8"))
    return Keys(material[:32], material[32:64], material[64:64 + CHECK_BYTES])


def _kdf(salt: bytes) -> dict:
    return {**SCRYPT, "salt": salt.hex()}


def _keys_for(secret: str, kdf: dict, key_check: str) -> Keys:
    try:
        salt = bytes.fromhex(kdf["salt"])
        keys = derive(secret, salt, int(kdf["n"]), int(kdf["r"]), int(kdf["p"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise BackupError("tệp sao lưu ghi tham số khóa không đọc được; tệp bị hỏng hoặc bị"
                          " sửa.") from exc
    if not hmac.compare_digest(keys.check.hex(), str(key_check)):
        raise BackupError("khóa sao lưu không đúng: tệp này được tạo bằng một khóa khác; hãy"
                          f" {KEY_HELP}.")
    return keys


# --- the signature -------------------------------------------------------------------------------


def sign(manifest: bytes, secret: str) -> bytes:
    """``manifest.sig`` for the manifest's exact bytes."""
    salt = os.urandom(16)
    keys = derive(secret, salt)
    signature = hmac.new(keys.sign, manifest, hashlib.sha256).hexdigest()
    return json.dumps({"algorithm": "HMAC-SHA256", "kdf": _kdf(salt),
                       "key_check": keys.check.hex(), "signature": signature},
                      indent=2, sort_keys=True).encode("utf-8")


def verify(manifest: bytes, signature_file: bytes, secret: str | None) -> None:
    """Refuse unless ``signature_file`` signs ``manifest`` with ``secret``."""
    if secret is None:
        raise BackupError(f"tệp sao lưu có chữ ký, cần khóa sao lưu để kiểm tra: hãy {KEY_HELP}.")
    try:
        record = json.loads(signature_file.decode("utf-8"))
        algorithm, kdf = record["algorithm"], record["kdf"]
        key_check, expected = record["key_check"], str(record["signature"])
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError("chữ ký của tệp sao lưu (manifest.sig) không đọc được; tệp bị hỏng"
                          " hoặc bị sửa.") from exc
    if algorithm != "HMAC-SHA256":
        raise BackupError(f"tệp sao lưu ký bằng thuật toán lạ '{algorithm}'.")
    keys = _keys_for(secret, kdf, key_check)
    actual = hmac.new(keys.sign, manifest, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(actual, expected):
        raise BackupError("chữ ký của tệp kê khai không đúng: tệp sao lưu đã bị sửa sau khi tạo"
                          " (hoặc không phải do máy này tạo); không phục hồi.")


# --- streamed encryption -------------------------------------------------------------------------


def _nonce(prefix: bytes, index: int, final: bool) -> bytes:
    if index >= 1 << 32:
        raise BackupError("tệp sao lưu quá lớn để mã hóa (quá 2^32 phần).")
    return prefix + struct.pack(">I", index) + (b"\x01" if final else b"\x00")


class EncryptingWriter:
    """A write-only file object that encrypts what it is given onto ``sink`` chunk by chunk."""

    def __init__(self, sink, secret: str):
        salt, self._prefix = os.urandom(16), os.urandom(7)
        keys = derive(secret, salt)
        self._header = json.dumps({
            "cipher": "AES-256-GCM-STREAM", "chunk": CHUNK, "kdf": _kdf(salt),
            "key_check": keys.check.hex(), "nonce_prefix": self._prefix.hex(),
        }, sort_keys=True).encode("utf-8")
        self._aead, self._sink = AESGCM(keys.encrypt), sink
        self._buffer, self._index, self.closed = bytearray(), 0, False
        sink.write(MAGIC + struct.pack(">I", len(self._header)) + self._header)

    def write(self, data) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK:  # keep at least one byte back: the last chunk is final
            self._emit(bytes(self._buffer[:CHUNK]), final=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _emit(self, plain: bytes, final: bool) -> None:
        nonce = _nonce(self._prefix, self._index, final)
        self._sink.write(self._aead.encrypt(nonce, plain, self._header))
        self._index += 1

    def flush(self) -> None:
        self._sink.flush()

    def close(self) -> None:
        if not self.closed:
            self._emit(bytes(self._buffer), final=True)
            self._buffer.clear()
            self.closed = True
            self._sink.flush()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def is_encrypted(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(len(MAGIC)) == MAGIC


def decrypt_file(source: Path, target: Path, secret: str | None) -> None:
    """Decrypt ``source`` into ``target``, every chunk authenticated; refuse at the first fault."""
    if secret is None:
        raise BackupError(f"tệp sao lưu '{source.name}' đã được mã hóa; để phục hồi hãy"
                          f" {KEY_HELP}.")
    with open(source, "rb") as handle, open(target, "wb") as sink:
        header = _read_header(handle, source)
        try:
            record = json.loads(header.decode("utf-8"))
            chunk, prefix = int(record["chunk"]), bytes.fromhex(record["nonce_prefix"])
            kdf, key_check = record["kdf"], record["key_check"]
            if record["cipher"] != "AES-256-GCM-STREAM" or not 1 <= chunk <= 1 << 26:
                raise ValueError(record["cipher"])
        except (ValueError, KeyError, TypeError) as exc:
            raise BackupError(f"phần đầu của tệp sao lưu mã hóa '{source.name}' bị hỏng.") from exc
        aead = AESGCM(_keys_for(secret, kdf, key_check).encrypt)
        index, block = 0, handle.read(chunk + TAG)
        while True:
            following = handle.read(chunk + TAG)
            final = not following
            try:
                sink.write(aead.decrypt(_nonce(prefix, index, final), block, header))
            except InvalidTag as exc:
                raise BackupError(
                    f"tệp sao lưu mã hóa '{source.name}' bị hỏng, bị cắt cụt hoặc bị sửa (phần"
                    f" thứ {index + 1} không xác thực được); không phục hồi.") from exc
            if final:
                return
            index, block = index + 1, following


def _read_header(handle, source: Path) -> bytes:
    start = handle.read(len(MAGIC) + 4)
    if len(start) < len(MAGIC) + 4 or start[:len(MAGIC)] != MAGIC:
        raise BackupError(f"'{source.name}' không phải tệp sao lưu mã hóa của Lòng Dân.")
    (length,) = struct.unpack(">I", start[len(MAGIC):])
    header = handle.read(length) if length <= 1 << 16 else b""
    if len(header) != length or not header:
        raise BackupError(f"phần đầu của tệp sao lưu mã hóa '{source.name}' bị hỏng.")
    return header
