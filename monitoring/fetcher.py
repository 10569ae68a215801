"""The polite, safe HTTP client of the monitoring desk (no Django import).

Every request: the host checked against internal addresses (``addresses.check_host``) and the
connection made to the checked address itself; robots.txt honoured (fetched once per site);
one request at a time per host with a pause between two; a time limit per request and a size
limit on the body; redirects followed by hand (each hop checked again, loops refused);
conditional GET (``If-None-Match`` / ``If-Modified-Since``); a retry with back-off on a
connection failure or a 502/503/504. Every failure is a :class:`FetchError` with a Vietnamese
message, which the caller records on its source before it goes on with the others.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import urllib3

from monitoring.addresses import AddressError, check_host

__all__ = ["FetchConfig", "FetchError", "Fetcher", "Response"]

USER_AGENT = "LongDan-Monitor/1.0 (+theo doi bao chi cua phuong)"
_REDIRECTS = {301, 302, 303, 307, 308}
_RETRY_STATUS = {502, 503, 504}


class FetchError(Exception):
    """A fetch that failed; ``str(exc)`` is the Vietnamese message for the source's health."""


@dataclass(frozen=True)
class FetchConfig:
    allowed_private: frozenset[str] = frozenset()
    timeout: float = 10.0
    max_bytes: int = 5 * 1024 * 1024
    pause: float = 0.5  # seconds between two requests to one host
    max_redirects: int = 5
    retries: int = 1
    backoff: float = 0.5
    user_agent: str = USER_AGENT


@dataclass
class Response:
    url: str  # the final address, after redirects
    status: int
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()


class Fetcher:
    """One per fetch run: it keeps the robots.txt rules and the last request time per host."""

    def __init__(self, config: FetchConfig | None = None):
        self.config = config or FetchConfig()
        self._robots: dict[str, RobotFileParser | None] = {}
        self._last: dict[str, float] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self.requests = 0

    # --- the public call -----------------------------------------------------------------------

    def get(self, url: str, *, etag: str = "", last_modified: str = "") -> Response:
        """GET ``url`` following redirects; a 304 comes back as a Response with no body."""
        seen: set[str] = set()
        current = url
        for _hop in range(self.config.max_redirects + 1):
            if current in seen:
                raise FetchError(f"Địa chỉ chuyển hướng vòng lặp: {url}")
            seen.add(current)
            self._check_robots(current)
            response = self._request(current, etag=etag, last_modified=last_modified)
            location = response.headers.get("location")
            if response.status in _REDIRECTS and location:
                current = urljoin(current, location)
                continue
            if response.status == 304 or 200 <= response.status < 300:
                return response
            raise FetchError(_status_message(response.status, current))
        raise FetchError(f"Quá nhiều lần chuyển hướng (hơn {self.config.max_redirects}): {url}")

    # --- robots.txt ----------------------------------------------------------------------------

    def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        if key not in self._robots:
            self._robots[key] = self._load_robots(key)
        rules = self._robots[key]
        if rules is not None and not rules.can_fetch(self.config.user_agent, url):
            raise FetchError(f"Trang không cho phép máy lấy tin (robots.txt): {url}")

    def _load_robots(self, site: str) -> RobotFileParser | None:
        try:
            response = self._request(site + "/robots.txt")
        except FetchError:
            return None  # no robots.txt to read: nothing forbidden
        if response.status != 200:
            return None
        rules = RobotFileParser()
        rules.parse(response.body.decode("utf-8", "replace").splitlines())
        return rules

    # --- one request ---------------------------------------------------------------------------

    def _request(self, url: str, *, etag: str = "", last_modified: str = "") -> Response:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"Địa chỉ không hợp lệ: {url}")
        host = parts.hostname
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            address = check_host(host, port, self.config.allowed_private)
        except AddressError as exc:
            raise FetchError(str(exc)) from exc
        headers = {
            "User-Agent": self.config.user_agent,
            "Accept-Encoding": "gzip, deflate",
            # Never the userinfo of "http://user:pass@host/": only host and a non-default port.
            "Host": (f"[{host}]" if ":" in host else host)
            + ("" if parts.port is None else f":{parts.port}"),
        }
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        for attempt in range(self.config.retries + 1):
            with self._host_turn(host):
                try:
                    response = self._send(parts.scheme, host, address, port, path, headers)
                except FetchError:
                    if attempt == self.config.retries:
                        raise
                    response = None
            if response is not None and (
                response.status not in _RETRY_STATUS or attempt == self.config.retries
            ):
                response.url = url
                return response
            time.sleep(self.config.backoff * (2**attempt))
        raise FetchError(f"Không lấy được {url}")  # pragma: no cover - the loop returns

    def _host_turn(self, host: str):
        """A lock held for one request to ``host``, taken no sooner than ``pause`` after the
        previous request to it ended."""
        with self._guard:
            lock = self._locks.setdefault(host, threading.Lock())
        fetcher = self

        class _Turn:
            def __enter__(self):
                lock.acquire()
                wait = fetcher._last.get(host, 0.0) + fetcher.config.pause - time.monotonic()
                if wait > 0:
                    time.sleep(wait)

            def __exit__(self, *exc):
                fetcher._last[host] = time.monotonic()
                lock.release()
                return False

        return _Turn()

    def _send(self, scheme, host, address, port, path, headers) -> Response:
        timeout = urllib3.Timeout(connect=self.config.timeout, read=self.config.timeout)
        if scheme == "https":
            pool = urllib3.HTTPSConnectionPool(
                address,
                port,
                timeout=timeout,
                retries=False,
                server_hostname=host,
                assert_hostname=host,
                cert_reqs="CERT_REQUIRED",
            )
        else:
            pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False)
        self.requests += 1
        try:
            raw = pool.urlopen(
                "GET",
                path,
                headers=headers,
                redirect=False,
                preload_content=False,
                decode_content=True,
            )
            try:
                body = self._read_limited(raw, host)
            finally:
                raw.release_conn()
        except urllib3.exceptions.TimeoutError as exc:
            raise FetchError(f"Hết thời gian chờ máy chủ '{host}' trả lời.") from exc
        except urllib3.exceptions.SSLError as exc:
            raise FetchError(f"Lỗi chứng chỉ bảo mật (SSL) của '{host}'.") from exc
        except urllib3.exceptions.HTTPError as exc:
            raise FetchError(f"Không kết nối được máy chủ '{host}': {exc}") from exc
        finally:
            pool.close()
        return Response(
            url="",
            status=raw.status,
            headers={k.lower(): v for k, v in raw.headers.items()},
            body=body,
        )

    def _read_limited(self, raw, host: str) -> bytes:
        declared = raw.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.config.max_bytes:
            raise FetchError(self._too_large(host))
        chunks, size = [], 0
        for chunk in raw.stream(64 * 1024):
            size += len(chunk)
            if size > self.config.max_bytes:
                raise FetchError(self._too_large(host))
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_large(self, host: str) -> str:
        return (
            f"Trang của '{host}' quá lớn (giới hạn {self.config.max_bytes // 1024} KB);"
            " không lấy về."
        )


def _status_message(status: int, url: str) -> str:
    if status == 404:
        return f"Không tìm thấy trang (lỗi 404): {url}"
    if status in (401, 403):
        return f"Máy chủ từ chối truy cập (lỗi {status}): {url}"
    if status >= 500:
        return f"Máy chủ gặp lỗi (lỗi {status}): {url}"
    return f"Máy chủ trả về mã {status}: {url}"
