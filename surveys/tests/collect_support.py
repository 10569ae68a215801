"""Helpers for the collection tests (helper F): instance XML the way ODK Collect writes it."""

from __future__ import annotations

import uuid
from xml.sax.saxutils import escape

from surveys.tests.conftest import STANDARD_FORM_ID, STANDARD_VERSION


def standard_instance(
    *,
    instance_id: str | None = None,
    form_id: str = STANDARD_FORM_ID,
    version: str = STANDARD_VERSION,
    khu_vuc: str = "to_1",
    gioi_tinh: str = "nu",
    nhom_tuoi: str = "30_44",
    y_kien_khac: str = "Cần sửa đèn đường ở ngõ 5.",
    van_de: str = "rac_thai other",
    van_de_other: str = "Tiếng ồn quán karaoke",
    members: tuple[tuple[str, str], ...] = (("Hoa", "34"), ("Minh", "7")),
    time_end: str = "",
) -> bytes:
    """An instance of the standard questionnaire, as ODK Collect sends it."""
    instance_id = instance_id or f"uuid:{uuid.uuid4()}"
    repeats = "".join(
        f"<thanh_vien><ten_thanh_vien>{escape(n)}</ten_thanh_vien>"
        f"<tuoi_thanh_vien>{a}</tuoi_thanh_vien></thanh_vien>"
        for n, a in members
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>'
        f'<data xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms"'
        f' id="{form_id}" version="{version}">'
        f"<gioi_thieu/>"
        f"<thong_tin><khu_vuc>{khu_vuc}</khu_vuc><gioi_tinh>{gioi_tinh}</gioi_tinh>"
        f"<nhom_tuoi>{nhom_tuoi}</nhom_tuoi><so_nhan_khau>4</so_nhan_khau>"
        f"<ngay_phong_van>2026-01-10</ngay_phong_van></thong_tin>"
        f"<hai_long_chung>hai_long</hai_long_chung><biet_chu_truong>co</biet_chu_truong>"
        f"<kenh_thong_tin>loa</kenh_thong_tin><van_de>{van_de}</van_de>"
        f"<van_de_other>{escape(van_de_other)}</van_de_other>"
        f"<y_kien_khac>{escape(y_kien_khac)}</y_kien_khac>"
        f"<dong_y_1>dong_y</dong_y_1><dong_y_2>khong_dong_y</dong_y_2><dong_y_3>chua_ro</dong_y_3>"
        f"{repeats}<so_van_de>2</so_van_de>"
        f"<meta><instanceID>{instance_id}</instanceID>"
        + (f"<timeEnd>{time_end}</timeEnd>" if time_end else "")
        + "</meta></data>"
    ).encode()


class OdkCollect:
    """Talks to the OpenRosa endpoints the way ODK Collect does: a request without credentials,
    the 401 Digest challenge, the same request again with ``Authorization: Digest``; afterwards
    the credentials are sent proactively (with a growing nonce count)."""

    def __init__(self, client, username: str, password: str):
        self.client = client
        self.username = username
        self.password = password
        self.challenge: dict | None = None
        self.nc = 0
        self.challenges = 0

    def _authorization(self, method: str, uri: str) -> str:
        import hashlib
        import secrets

        c = self.challenge
        self.nc += 1
        nc = f"{self.nc:08x}"
        cnonce = secrets.token_hex(8)
        ha1 = hashlib.md5(f"{self.username}:{c['realm']}:{self.password}".encode()).hexdigest()
        ha2 = hashlib.md5(f"{method}:{uri}".encode()).hexdigest()
        response = hashlib.md5(f"{ha1}:{c['nonce']}:{nc}:{cnonce}:auth:{ha2}".encode()).hexdigest()
        return (
            f'Digest username="{self.username}", realm="{c["realm"]}", nonce="{c["nonce"]}",'
            f' uri="{uri}", qop=auth, nc={nc}, cnonce="{cnonce}", response="{response}",'
            f' opaque="{c.get("opaque", "")}", algorithm=MD5'
        )

    def request(self, method: str, uri: str, **kwargs):
        from odk.openrosa import parse_digest

        headers = {"X-OpenRosa-Version": "1.0", "Date": "Sat, 10 Jan 2026 02:30:00 GMT"}
        headers.update(kwargs.pop("headers", {}))
        call = getattr(self.client, method.lower())
        data = kwargs.pop("data", None)
        for _ in range(3):
            if self.challenge:
                headers["Authorization"] = self._authorization(method, uri)
            args = (uri, data) if data is not None else (uri,)
            response = call(*args, headers=headers, **kwargs)
            if response.status_code != 401:
                return response
            self.challenges += 1
            header = response["WWW-Authenticate"]
            self.challenge = parse_digest(header.split(", Basic ")[0])
            self.nc = 0
            if data is not None and hasattr(data, "values"):
                for value in data.values():
                    if hasattr(value, "seek"):
                        value.seek(0)
        return response

    def submit(self, xml: bytes, attachments: dict[str, bytes] | None = None,
               uri: str = "/odk/submission?deviceID=collect%3Atest"):
        from django.core.files.uploadedfile import SimpleUploadedFile

        head = self.request("HEAD", uri)
        assert head.status_code == 204, head
        data = {"xml_submission_file": SimpleUploadedFile("phieu.xml", xml, "text/xml")}
        for name, content in (attachments or {}).items():
            data[name] = SimpleUploadedFile(name, content, "image/jpeg")
        return self.request("POST", uri, data=data)
