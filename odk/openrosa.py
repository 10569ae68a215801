"""OpenRosa: reading submitted instances, describing forms to ODK Collect, and Digest logins.

No Django import: everything here works on bytes and strings, so it tests and benchmarks alone.

* :func:`parse_submission` reads an instance XML sent by ODK Collect or the web form (untrusted:
  parsed with defusedxml, DTDs refused) into its form id, version, ``instanceID`` and time;
  :meth:`Submission.answers` flattens its answers the way ``Response.data`` keeps them: groups
  flattened to their leaves' names, repeats as lists of dicts, the ``meta`` block left out.
* :func:`form_structure` reads a form's XForm (what pyxform made) into its fields: kind (text,
  select_one, integer, …), choices and their labels, required, the repeat each belongs to.
* :func:`form_list_xml`, :func:`manifest_xml`, :func:`response_xml` build the OpenRosa documents
  (Form List API, manifest, submission response envelope).
* Digest authentication (RFC 2617, the subset the OpenRosa Authentication API asks for):
  :func:`make_nonce`, :func:`parse_digest`, :func:`digest_response`, :func:`digest_ha1`.

Every refusal is a :class:`SubmissionError` with a Vietnamese message and an HTTP status.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import hashlib
import hmac
import re
import secrets
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

OPENROSA_VERSION = "1.0"
NS_FORM_LIST = "http://openrosa.org/xforms/xformsList"
NS_MANIFEST = "http://openrosa.org/xforms/xformsManifest"
NS_RESPONSE = "http://openrosa.org/http/response"
NS_XFORMS = "http://www.w3.org/2002/xforms"
NS_JR = "http://openrosa.org/javarosa"
MAX_INSTANCE_BYTES = 10 * 1024 * 1024
MAX_INSTANCE_ID = 100
# Elements nested deeper than this are refused: every walk of the tree (flattening, masking,
# copying, writing it back) recurses, and a form's groups are never nested this deep.
MAX_DEPTH = 100
# A submission's time outside these years is a phone's wrong clock or an attack: not kept.
_YEARS = range(1900, 2201)
# Fields ODK fills from the phone itself (device id, SIM, phone number, e-mail of the account):
# they identify a person's device, not an opinion, so they are never kept.
DEVICE_PROPERTY = "property"


class SubmissionError(Exception):
    """A refused submission; ``message`` is Vietnamese, ``status`` the HTTP status to answer."""

    def __init__(self, message: str, *, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def _local(tag: str) -> str:
    """An element's name without its namespace: ``{ns}meta`` and ``orx:meta`` are ``meta``."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: ET.Element) -> list[ET.Element]:
    return [child for child in element if isinstance(child.tag, str)]


def _parse_xml(data: bytes | str, *, what: str) -> ET.Element:
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not data or not data.strip():
        raise SubmissionError(f"{what} rỗng: không có nội dung XML nào.")
    if len(data) > MAX_INSTANCE_BYTES:
        raise SubmissionError(
            f"{what} quá lớn (tối đa {MAX_INSTANCE_BYTES // (1024 * 1024)} MB).", status=413
        )
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise SubmissionError(
            f"{what} chứa khai báo DTD hoặc thực thể XML không được phép."
        ) from exc
    except ET.ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise SubmissionError(
            f"{what} không phải XML hợp lệ (lỗi ở dòng {line}, cột {column + 1})."
        ) from exc
    except (LookupError, ValueError) as exc:  # encoding="bogus" in the XML declaration
        raise SubmissionError(
            f"{what} khai báo bảng mã ký tự không được hỗ trợ; hãy gửi XML dạng UTF-8."
        ) from exc
    _check_depth(root, what)
    return root


def _check_depth(root: ET.Element, what: str) -> None:
    """Refuse a tree nested past ``MAX_DEPTH`` (walked without recursion)."""
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise SubmissionError(
                f"{what} lồng nhau quá {MAX_DEPTH} cấp phần tử: không phải một phiếu trả lời."
            )
        stack.extend((child, depth + 1) for child in element)


# --- submitted instances --------------------------------------------------------------------


def parse_datetime(text: str) -> dt.datetime | None:
    """An ODK timestamp (``2025-11-05T09:30:00.000+07:00``) as an aware datetime, else None."""
    text = (text or "").strip()
    if not text:
        return None
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    try:
        in_utc = value.astimezone(dt.UTC)  # what the database stores
    except OverflowError:  # "0001-01-01T00:00+07:00" is before year 1 in UTC
        return None
    if in_utc.year not in _YEARS:
        return None
    return value


@dataclass(frozen=True)
class Submission:
    form_id: str
    version: str
    instance_id: str
    submitted_at: dt.datetime | None
    root: ET.Element = field(repr=False, compare=False)

    def answers(self, structure: FormStructure | None = None) -> dict:
        """The answers as ``Response.data``: ``{name: "value"}``, repeats ``{name: [{…}, …]}``.

        Empty answers are left out (absent means not answered). Without ``structure`` an
        element is taken for a repeat only when it occurs more than once.
        """
        return flatten(self.root, structure)

    def cleaned(self, structure: FormStructure, mask: Callable[[str], str]) -> Submission:
        """A copy with every text answer passed through ``mask`` and the device fields dropped:
        what may be kept of the submission as received."""
        root = copy.deepcopy(self.root)
        _clean_tree(root, "", structure, mask)
        return replace(self, root=root)

    def to_xml(self) -> str:
        return ET.tostring(self.root, encoding="unicode")


def parse_submission(xml: bytes | str) -> Submission:
    """Read an instance XML. Refuses malformed XML, a missing form id and a missing instanceID."""
    root = _parse_xml(xml, what="Bản nộp")
    form_id = (root.get("id") or "").strip()
    if not form_id:
        raise SubmissionError(
            f"Bản nộp thiếu mã biểu mẫu: phần tử gốc <{_local(root.tag)}> không có thuộc tính"
            " id."
        )
    version = (root.get("version") or "").strip()
    meta = next((c for c in _children(root) if _local(c.tag) == "meta"), None)
    instance_id = ""
    time_end = ""
    if meta is not None:
        for child in _children(meta):
            if _local(child.tag) == "instanceID":
                instance_id = (child.text or "").strip()
            elif _local(child.tag) == "timeEnd":
                time_end = child.text or ""
    instance_id = instance_id or (root.get("instanceID") or "").strip()
    if not instance_id:
        raise SubmissionError(
            "Bản nộp thiếu mã bản ghi (meta/instanceID): không thể nhận để tránh lưu trùng."
        )
    if len(instance_id) > MAX_INSTANCE_ID or any(c.isspace() for c in instance_id):
        raise SubmissionError(
            f"Mã bản ghi (meta/instanceID) không hợp lệ: tối đa {MAX_INSTANCE_ID} ký tự, không"
            " có khoảng trắng."
        )
    submitted = parse_datetime(root.get("submissionDate") or "") or parse_datetime(time_end)
    if submitted is None:
        end = next((c for c in _children(root) if _local(c.tag) == "end"), None)
        submitted = parse_datetime(end.text or "") if end is not None else None
    return Submission(form_id, version, instance_id, submitted, root)


def _path(prefix: str, element: ET.Element) -> str:
    name = _local(element.tag)
    return f"{prefix}/{name}" if prefix else name


def _clean_tree(element: ET.Element, prefix: str, structure: FormStructure, mask) -> None:
    for child in list(_children(element)):
        path = _path(prefix, child)
        spec = structure.by_path.get(path)
        if spec is not None and spec.device_property:
            element.remove(child)
        elif _children(child):
            _clean_tree(child, path, structure, mask)
        elif spec is not None and spec.kind == "text" and (child.text or "").strip():
            child.text = mask(child.text)


def flatten(root: ET.Element, structure: FormStructure | None = None) -> dict:
    """See :meth:`Submission.answers`."""
    out: dict = {}
    _flatten_into(out, root, "", structure, top=True)
    return out


def _flatten_into(
    out: dict, element: ET.Element, prefix: str, structure: FormStructure | None, *, top: bool
) -> None:
    children = _children(element)
    counts: dict[str, int] = {}
    for child in children:
        counts[_local(child.tag)] = counts.get(_local(child.tag), 0) + 1
    for child in children:
        name = _local(child.tag)
        path = _path(prefix, child)
        if top and name == "meta":
            continue
        spec = structure.by_path.get(path) if structure else None
        if spec is not None and spec.device_property:
            continue
        if structure is not None:
            is_repeat = path in structure.repeats or (counts[name] > 1 and bool(_children(child)))
        else:
            is_repeat = counts[name] > 1
        if is_repeat:
            item: dict = {}
            _flatten_into(item, child, path, structure, top=False)
            if item and isinstance(out.setdefault(name, []), list):  # an empty one: unanswered
                out[name].append(item)
        elif _children(child):
            _flatten_into(out, child, path, structure, top=False)
        else:
            value = (child.text or "").strip()
            if not value:
                continue
            # Two leaves with one name in different groups: the later keeps its path.
            key = name if name not in out else path
            out[key] = value


# --- the form's structure, read from its XForm ------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One node of a form's primary instance that holds an answer."""

    path: str  # below the root: "g1/nhieu"
    name: str  # the leaf: "nhieu"
    kind: str  # text, select_one, select_multiple, rank, integer, decimal, date, ...
    required: bool = False  # required="true()" and always shown (no relevant)
    relevant: bool = False
    readonly: bool = False
    repeat: str = ""  # path of the innermost repeat holding it, "" at the top
    choices: tuple[str, ...] = ()
    choice_labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    device_property: bool = False  # deviceid, phonenumber, ... (never kept)

    @property
    def answerable(self) -> bool:
        """A question a person answers (not a note, a calculation or metadata)."""
        return self.kind not in {"note", "calculate", "metadata", "hidden"} and not (
            self.device_property
        )


@dataclass(frozen=True)
class FormStructure:
    root_name: str
    form_id: str
    version: str
    fields: tuple[Field, ...]
    repeats: frozenset[str]

    @cached_property
    def by_path(self) -> dict[str, Field]:
        return {f.path: f for f in self.fields}

    @cached_property
    def by_name(self) -> dict[str, Field]:
        """Fields by leaf name (the first one when two groups reuse a name) and by path."""
        out: dict[str, Field] = {}
        for spec in self.fields:
            out.setdefault(spec.name, spec)
        for spec in self.fields:
            out.setdefault(spec.path, spec)
        return out


_INPUT_KINDS = {
    "string": "text", "int": "integer", "decimal": "decimal", "date": "date", "time": "time",
    "datetime": "datetime", "geopoint": "geopoint", "geotrace": "geotrace",
    "geoshape": "geoshape", "barcode": "barcode", "boolean": "boolean",
}
_BODY_KINDS = {
    "select1": "select_one", "select": "select_multiple", "rank": "rank", "upload": "binary",
    "range": "range", "trigger": "acknowledge",
}
_ITEMSET_INSTANCE = re.compile(r"""instance\(\s*['"]([^'"]+)['"]\s*\)""")


def form_structure(xform_xml: bytes | str) -> FormStructure:
    """The answer-holding fields of an XForm, with their kinds and choices."""
    html = _parse_xml(xform_xml, what="Biểu mẫu XForm")
    model = next((e for e in html.iter() if _local(e.tag) == "model"), None)
    if model is None:
        raise SubmissionError("Biểu mẫu XForm không có phần <model>.")
    instances = [e for e in _children(model) if _local(e.tag) == "instance"]
    primary = next((e for e in instances if not e.get("id")), None)
    if primary is None or not _children(primary):
        raise SubmissionError("Biểu mẫu XForm không có bản ghi chính (<instance>).")
    root = _children(primary)[0]
    root_name = _local(root.tag)
    secondary = {e.get("id"): e for e in instances if e.get("id")}
    translations = _itext(model)

    binds: dict[str, dict[str, str]] = {}
    for bind in _children(model):
        if _local(bind.tag) == "bind" and bind.get("nodeset"):
            attrs = {_local(k).lower(): v for k, v in bind.attrib.items()}
            binds[_relative(bind.get("nodeset"), root_name)] = attrs

    body = next((e for e in html.iter() if _local(e.tag) == "body"), None)
    controls: dict[str, ET.Element] = {}
    repeats: set[str] = set()
    if body is not None:
        for element in body.iter():
            tag = _local(element.tag)
            if tag == "repeat" and element.get("nodeset"):
                repeats.add(_relative(element.get("nodeset"), root_name))
            elif tag not in {"group", "label", "hint", "item", "itemset", "value"} and (
                element.get("ref")
            ):
                controls[_relative(element.get("ref"), root_name)] = element
    for element in root.iter():
        if any(_local(k) == "template" for k in element.attrib):
            repeats.add(_instance_path(root, element))

    fields: list[Field] = []
    seen: set[str] = set()
    for path in _leaf_paths(root, ""):
        if path in seen or path.split("/", 1)[0] == "meta":
            continue
        seen.add(path)
        attrs = binds.get(path, {})
        control = controls.get(path)
        kind = _kind(attrs, control)
        choices, labels = _choices(control, secondary, translations)
        enclosing = [r for r in repeats if path.startswith(r + "/")]
        fields.append(
            Field(
                path=path,
                name=path.rsplit("/", 1)[-1],
                kind=kind,
                required=attrs.get("required", "").replace(" ", "") == "true()"
                and not attrs.get("relevant"),
                relevant=bool(attrs.get("relevant")),
                readonly=attrs.get("readonly", "").replace(" ", "") == "true()",
                repeat=max(enclosing, key=len) if enclosing else "",
                choices=choices,
                choice_labels=labels,
                device_property=attrs.get("preload") == DEVICE_PROPERTY,
            )
        )
    return FormStructure(
        root_name=root_name,
        form_id=root.get("id") or "",
        version=root.get("version") or "",
        fields=tuple(fields),
        repeats=frozenset(repeats),
    )


def _relative(ref: str, root_name: str) -> str:
    ref = ref.strip()
    prefix = f"/{root_name}/"
    return ref[len(prefix):] if ref.startswith(prefix) else ref.lstrip("/")


def _instance_path(root: ET.Element, target: ET.Element) -> str:
    def walk(element: ET.Element, prefix: str) -> str | None:
        for child in _children(element):
            path = _path(prefix, child)
            if child is target:
                return path
            found = walk(child, path)
            if found:
                return found
        return None

    return walk(root, "") or ""


def _leaf_paths(element: ET.Element, prefix: str) -> Iterable[str]:
    for child in _children(element):
        path = _path(prefix, child)
        if _children(child):
            yield from _leaf_paths(child, path)
        else:
            yield path


def _kind(attrs: dict[str, str], control: ET.Element | None) -> str:
    bind_type = attrs.get("type", "string").split(":")[-1].lower()
    if attrs.get("preload"):
        return "metadata"
    if control is None:
        return "calculate" if attrs.get("calculate") else "hidden"
    tag = _local(control.tag)
    if tag in _BODY_KINDS:
        return _BODY_KINDS[tag]
    if tag == "input":
        if attrs.get("readonly", "").replace(" ", "") == "true()" and bind_type == "string":
            return "note"
        return _INPUT_KINDS.get(bind_type, bind_type)
    return tag


def _itext(model: ET.Element) -> dict[str, list[str]]:
    """Text id → its values in every language."""
    out: dict[str, list[str]] = {}
    for translation in (e for e in model.iter() if _local(e.tag) == "translation"):
        for text in (e for e in _children(translation) if _local(e.tag) == "text"):
            values = [
                "".join(v.itertext()).strip()
                for v in _children(text)
                if _local(v.tag) == "value" and not v.get("form")
            ]
            if values and values[0]:
                out.setdefault(text.get("id", ""), []).append(values[0])
    return out


def _choices(
    control: ET.Element | None, secondary: dict, translations: dict[str, list[str]]
) -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
    if control is None:
        return (), {}
    names: list[str] = []
    labels: dict[str, tuple[str, ...]] = {}
    for item in (e for e in _children(control) if _local(e.tag) == "item"):
        value = next((e for e in _children(item) if _local(e.tag) == "value"), None)
        label = next((e for e in _children(item) if _local(e.tag) == "label"), None)
        if value is not None and (value.text or "").strip():
            name = value.text.strip()
            names.append(name)
            labels[name] = _label_texts(label, translations)
    itemset = next((e for e in _children(control) if _local(e.tag) == "itemset"), None)
    if itemset is not None:
        match = _ITEMSET_INSTANCE.search(itemset.get("nodeset", ""))
        source = secondary.get(match.group(1)) if match else None
        value_ref = "name"
        label_ref = "label"
        for part in _children(itemset):
            if _local(part.tag) == "value":
                value_ref = part.get("ref", "name")
            elif _local(part.tag) == "label":
                label_ref = part.get("ref", "label")
        if source is not None:
            for item in source.iter():
                if _local(item.tag) != "item":
                    continue
                parts = {_local(e.tag): (e.text or "").strip() for e in _children(item)}
                name = parts.get(value_ref, "")
                if not name:
                    continue
                names.append(name)
                if label_ref.startswith("jr:itext"):
                    labels[name] = tuple(translations.get(parts.get("itextId", ""), ()))
                else:
                    labels[name] = (parts.get(label_ref, ""),) if parts.get(label_ref) else ()
    return tuple(dict.fromkeys(names)), labels


def _label_texts(label: ET.Element | None, translations: dict[str, list[str]]) -> tuple:
    if label is None:
        return ()
    ref = label.get("ref", "")
    match = re.match(r"""jr:itext\(\s*['"]([^'"]+)['"]\s*\)""", ref)
    if match:
        return tuple(translations.get(match.group(1), ()))
    text = "".join(label.itertext()).strip()
    return (text,) if text else ()


# --- documents sent to ODK Collect --------------------------------------------------------------


@dataclass(frozen=True)
class FormListEntry:
    form_id: str
    name: str
    version: str
    md5: str  # hex digest of the XForm
    download_url: str
    manifest_url: str = ""
    description: str = ""


def _xml_bytes(root: ET.Element) -> bytes:
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def form_list_xml(forms: Iterable[FormListEntry]) -> bytes:
    """The OpenRosa Form List API document (``<xforms xmlns=".../xformsList">``)."""
    root = ET.Element("xforms", {"xmlns": NS_FORM_LIST})
    for entry in forms:
        xform = ET.SubElement(root, "xform")
        ET.SubElement(xform, "formID").text = entry.form_id
        ET.SubElement(xform, "name").text = entry.name
        ET.SubElement(xform, "version").text = entry.version
        ET.SubElement(xform, "hash").text = f"md5:{entry.md5}"
        if entry.description:
            ET.SubElement(xform, "descriptionText").text = entry.description
        ET.SubElement(xform, "downloadUrl").text = entry.download_url
        if entry.manifest_url:
            ET.SubElement(xform, "manifestUrl").text = entry.manifest_url
    return _xml_bytes(root)


def manifest_xml(files: Iterable[tuple[str, str, str]] = ()) -> bytes:
    """A form's manifest of media files: ``(file name, md5 hex, download url)`` each."""
    root = ET.Element("manifest", {"xmlns": NS_MANIFEST})
    for name, md5, url in files:
        media = ET.SubElement(root, "mediaFile")
        ET.SubElement(media, "filename").text = name
        ET.SubElement(media, "hash").text = f"md5:{md5}"
        ET.SubElement(media, "downloadUrl").text = url
    return _xml_bytes(root)


def response_xml(message: str, *, nature: str = "") -> bytes:
    """The OpenRosa response envelope ODK Collect shows to the person sending."""
    root = ET.Element("OpenRosaResponse", {"xmlns": NS_RESPONSE})
    ET.SubElement(root, "message", {"nature": nature}).text = message
    return _xml_bytes(root)


def xform_md5(xform_xml: str | bytes) -> str:
    data = xform_xml.encode("utf-8") if isinstance(xform_xml, str) else xform_xml
    return hashlib.md5(data).hexdigest()  # noqa: S324 - the hash OpenRosa asks for


# --- Digest authentication (RFC 2617, OpenRosa subset) -------------------------------------------


def digest_ha1(username: str, realm: str, password: str) -> str:
    """HA1 = MD5(username:realm:password), what a Digest server keeps instead of the password."""
    return hashlib.md5(f"{username}:{realm}:{password}".encode()).hexdigest()  # noqa: S324


def make_nonce(secret: str, now: float | None = None) -> str:
    """A nonce that carries its own time and a MAC, so any server process can check it.

    A random part makes every nonce unique (two phones challenged in the same second get two),
    so a server may track the nonce counts used with each one against replays.
    """
    stamp = f"{int(now if now is not None else time.time()):x}-{secrets.token_hex(8)}"
    mac = hmac.new(secret.encode(), stamp.encode(), hashlib.sha256).hexdigest()[:32]
    return f"{stamp}.{mac}"


def nonce_age(secret: str, nonce: str, now: float | None = None) -> float | None:
    """Seconds since ``nonce`` was made, or None if it is not one of ours."""
    stamp, _, mac = nonce.partition(".")
    try:
        made = int(stamp.partition("-")[0], 16)
    except ValueError:
        return None
    expected = hmac.new(secret.encode(), stamp.encode(), hashlib.sha256).hexdigest()[:32]
    if not hmac.compare_digest(mac, expected):
        return None
    return (now if now is not None else time.time()) - made


_DIGEST_PARAM = re.compile(r'(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))')


def parse_digest(header: str) -> dict[str, str] | None:
    """The parameters of an ``Authorization: Digest …`` header, or None for another scheme."""
    scheme, _, rest = (header or "").strip().partition(" ")
    if scheme.lower() != "digest":
        return None
    params: dict[str, str] = {}
    for match in _DIGEST_PARAM.finditer(rest):
        value = match.group(2) if match.group(2) is not None else match.group(3)
        params[match.group(1).lower()] = value.replace('\\"', '"')
    return params


def parse_basic(header: str) -> tuple[str, str] | None:
    scheme, _, rest = (header or "").strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(rest.strip(), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None
    username, sep, password = decoded.partition(":")
    return (username, password) if sep else None


def digest_response(params: Mapping[str, str], *, ha1: str, method: str) -> str:
    """The ``response`` a client knowing HA1 sends for ``params`` (qop "auth" or none)."""
    ha2 = hashlib.md5(f"{method}:{params.get('uri', '')}".encode()).hexdigest()  # noqa: S324
    nonce = params.get("nonce", "")
    if params.get("qop"):
        data = f"{ha1}:{nonce}:{params.get('nc', '')}:{params.get('cnonce', '')}:" \
               f"{params['qop']}:{ha2}"
    else:
        data = f"{ha1}:{nonce}:{ha2}"
    return hashlib.md5(data.encode()).hexdigest()  # noqa: S324


def digest_challenge(*, realm: str, nonce: str, domain: str, stale: bool = False) -> str:
    parts = [
        f'realm="{realm}"', 'qop="auth"', f'nonce="{nonce}"', "algorithm=MD5",
        f'domain="{domain}"',
        f'opaque="{hashlib.md5(realm.encode()).hexdigest()}"',  # noqa: S324
    ]
    if stale:
        parts.append("stale=true")
    return "Digest " + ", ".join(parts)
