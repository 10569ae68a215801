import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "longdan.settings")
application = get_wsgi_application()


def _hold_app_lock():
    """Each web process holds a shared lock on VAR_DIR, so ``longdan restore`` refuses while the
    web server runs, and a web process does not start during a restore (core.runlock)."""
    from django.conf import settings

    from core import runlock

    return runlock.hold_shared(settings.VAR_DIR)


_APP_LOCK = _hold_app_lock()


def _check_data_key() -> None:
    # A web process behind a bare gunicorn (several machines) refuses to start as `longdan
    # serve` does when residents' contacts are encrypted and its key is missing or another one;
    # under `longdan serve`, which checked before starting gunicorn, it does not check again.
    from core.datakey import refuse_to_start_without_key

    refuse_to_start_without_key()


_check_data_key()
