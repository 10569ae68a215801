"""pyxform in a process of its own, with time and memory limits (issue 16).

An uploaded XLSForm is converted by pyxform, a large library parsing hostile input: a form built
to make it loop or swallow memory must cost the server one short-lived process, not a worker.
:func:`convert_isolated` runs :func:`odk.xlsform.convert_xlsform` in ``python -m odk.isolated``,
which first lowers its own limits (CPU seconds, address space), reads the file from its standard
input and writes the result as JSON. A conversion that runs out of time or memory is an ordinary
refusal with a Vietnamese message; nothing of the request's process is touched. The child sets
the limits on itself because ``preexec_fn`` is unsafe in a threaded server.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

from odk.issues import Issue
from odk.xlsform import ConvertedForm, convert_xlsform

CPU_SECONDS = 20
WALL_SECONDS = 45
MEMORY_BYTES = 1024 * 1024 * 1024  # address space: a normal form needs a few hundred MB
_ROOT = Path(__file__).resolve().parents[1]
# How running out of address space shows in the child's last words.
_OUT_OF_MEMORY = (b"MemoryError", b"Cannot allocate memory", b"failed to map segment")
_FIELDS = ("file_type", "xform", "definition", "form_id", "version", "title", "languages",
           "default_language", "concepts")
TOO_COSTLY = (
    "Biểu mẫu này cần quá nhiều thời gian hoặc bộ nhớ để chuyển đổi ({why}): hãy kiểm tra các"
    " biểu thức và nhóm lồng nhau, hoặc chia thành các biểu mẫu nhỏ hơn."
)


def convert_isolated(
    content: bytes, filename: str = "", *, now: dt.datetime | None = None,
    cpu_seconds: int = CPU_SECONDS, memory_bytes: int = MEMORY_BYTES, **options,
) -> ConvertedForm:
    """What ``convert_xlsform(content, filename, now=now, **options)`` returns, computed in a
    child process under limits."""
    payload = json.dumps({
        "content": base64.b64encode(content).decode("ascii"), "filename": filename,
        "now": now.isoformat() if now else None, "options": options,
        "limits": {"cpu": cpu_seconds, "memory": memory_bytes},
    }).encode()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "odk.isolated"], input=payload, capture_output=True,
            timeout=WALL_SECONDS, cwd=_ROOT, env=_child_env(), check=False,
        )
    except subprocess.TimeoutExpired:
        return _refused("quá thời gian")
    if done.returncode != 0:
        memory = any(sign in done.stderr for sign in _OUT_OF_MEMORY)
        return _refused("vượt bộ nhớ" if memory else "quá thời gian hoặc bị dừng",
                        original=done.stderr.decode("utf-8", "replace")[-500:])
    return _from_json(json.loads(done.stdout))


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_ROOT), env.get("PYTHONPATH", "")]))
    return env


def _refused(why: str, original: str = "") -> ConvertedForm:
    return ConvertedForm(errors=[Issue(level="error", message=TOO_COSTLY.format(why=why),
                                       original=original)])


def _from_json(data: dict) -> ConvertedForm:
    result = ConvertedForm(**{name: data[name] for name in _FIELDS})
    result.errors = [Issue(**issue) for issue in data["errors"]]
    result.warnings = [Issue(**issue) for issue in data["warnings"]]
    return result


def _to_json(result: ConvertedForm) -> dict:
    data = {name: getattr(result, name) for name in _FIELDS}
    data["errors"] = [issue.as_dict() for issue in result.errors]
    data["warnings"] = [issue.as_dict() for issue in result.warnings]
    return data


def _lower_limits(limits: dict) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_CPU, (limits["cpu"], limits["cpu"]))
    resource.setrlimit(resource.RLIMIT_AS, (limits["memory"], limits["memory"]))


def main() -> int:
    request = json.loads(sys.stdin.buffer.read())
    _lower_limits(request["limits"])
    now = dt.datetime.fromisoformat(request["now"]) if request["now"] else None
    result = convert_xlsform(base64.b64decode(request["content"]), request["filename"], now=now,
                             **request["options"])
    sys.stdout.write(json.dumps(_to_json(result), ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())


def check_isolated(content: bytes, filename: str = "") -> dict:
    """:func:`odk.xlsform.check` with the conversion in a limited child process (the web's
    "check without saving" page and API take files from anyone in the office)."""
    from odk.questions import extract_questions

    result = convert_isolated(content, filename)
    data = result.as_dict()
    data["questions"] = extract_questions(result.definition) if result.ok else []
    return data
