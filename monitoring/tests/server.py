"""A local HTTP server for the monitoring tests (never the internet): a table of routes, ETags
honoured, every request logged."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"

NAV = """<header><nav><ul><li><a href="/">Trang chủ</a></li><li><a href="/thoi-su">Thời sự</a>
</li><li><a href="/kinh-te">Kinh tế</a></li><li><a href="/dang-ky">Đăng ký nhận bản tin quảng cáo
khuyến mãi hấp dẫn mỗi ngày</a></li></ul></nav></header>"""
RELATED = """<section class="related"><h3>Tin liên quan</h3><ul>
<li><a href="/tin/1">Giá vàng hôm nay tăng mạnh phiên sáng</a></li>
<li><a href="/tin/2">Đội bóng thành phố thắng đậm trên sân nhà</a></li></ul></section>
<section id="comments" class="comments"><h3>Bình luận</h3><div class="comment"><b>Lê Văn Khánh</b>
<p>Bài viết rất hay, cảm ơn tòa soạn đã đưa tin kịp thời về địa phương.</p></div></section>"""
FOOTER = (
    """<footer><p>Bản quyền thuộc về Báo điện tử mẫu. Giấy phép số 123/GP-BTTTT.</p></footer>"""
)


def page(
    title: str,
    paragraphs: list[str],
    *,
    author: str = "Nguyễn Thị Thanh Hương",
    date: str = "2026-11-20",
) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title>
<meta property="article:published_time" content="{date}T08:00:00+07:00">
<meta name="author" content="{author}"></head><body>{NAV}<main><article><h1>{title}</h1>
<p class="author">{author}</p>{body}</article>{RELATED}</main>{FOOTER}</body></html>""".encode()


class Site:
    def __init__(self):
        self.routes: dict[str, tuple[int, dict, bytes]] = {}
        self.log: list[tuple[str, int]] = []
        handler = self._handler()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def add(
        self,
        path: str,
        body: bytes | str,
        *,
        status: int = 200,
        content_type: str = "text/html; charset=utf-8",
        headers: dict | None = None,
    ) -> None:
        data = body.encode() if isinstance(body, str) else body
        self.routes[path] = (status, {"Content-Type": content_type, **(headers or {})}, data)

    def redirect(self, path: str, to: str) -> None:
        self.routes[path] = (302, {"Location": to}, b"")

    def statuses(self, path: str) -> list[int]:
        return [status for p, status in self.log if p == path]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                path = self.path.split("?", 1)[0]
                route = site.routes.get(path, (404, {"Content-Type": "text/plain"}, b"not found"))
                if isinstance(route, list):  # answers in turn, the last one for ever after
                    route = route.pop(0) if len(route) > 1 else route[0]
                status, headers, body = route
                etag = headers.get("ETag")
                if etag and self.headers.get("If-None-Match") == etag:
                    status, body = 304, b""
                site.log.append((path, status))
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        return Handler
