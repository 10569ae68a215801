"""Test settings: only what tests need differs from production."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from longdan.settings import *  # noqa: F403
from longdan.settings import CACHES, DATABASES

# The suite reads and writes trained text models under VAR_DIR/models: a throw-away directory
# keeps the models the demo's server trained in var/ out of the tests' results (and theirs out of
# var/).
VAR_DIR = Path(tempfile.mkdtemp(prefix="longdan-test-var-"))
atexit.register(shutil.rmtree, VAR_DIR, ignore_errors=True)
# PDF copies of documents (core.pdf) likewise.
CACHES = {**CACHES, "documents": {**CACHES["documents"], "LOCATION": str(VAR_DIR / "pdf-cache")}}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
elif os.environ.get("LONGDAN_TEST_DB_NAME"):
    # Lets parallel runs on one PostgreSQL server use separate test databases.
    DATABASES["default"]["TEST"] = {"NAME": os.environ["LONGDAN_TEST_DB_NAME"]}
# The in-memory test database cannot be backed up: the scheduler's tests run every periodic task
# at once, and the nightly backup would only record a failure. Its own tests turn it on.
LONGDAN_BACKUP_NIGHTLY = False
LONGDAN_BACKUP_DIR = VAR_DIR / "backups"
