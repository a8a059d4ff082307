"""The workstation's log files: rotating, in the user's log directory, with secrets redacted.

:func:`setup_logging` puts one :class:`~logging.handlers.RotatingFileHandler` on the root
logger, writing ``workstation.log`` (rotated at :data:`MAX_BYTES`, :data:`BACKUP_COUNT` old
files kept) in the user log directory platformdirs names for this system
(``~/.local/state/kalshi-fix-workstation/log`` on Linux) — or in ``<data dir>/logs`` when the
workstation runs with ``--data-dir``, so tests and parallel instances never share a log.

Every record passes :class:`RedactingFilter` on its way to the file: the message, the
traceback and the stack are rewritten by :func:`redact_text`, which masks RawData (96, the
logon signature) and Password (554) in FIX text, whole PEM blocks (private keys, whether or
not encrypted), and the value after a ``passphrase``/``password``/``secret`` key. The
engine's own views redact earlier (:func:`workstation.fix.describe.redact`); this is the
net under everything else, such as an exception message that quotes a file. This module
imports no Qt.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from workstation.client.paths import APP_NAME, Paths

__all__ = [
    "BACKUP_COUNT",
    "LOG_FILE_NAME",
    "MAX_BYTES",
    "InstalledLogging",
    "RedactingFilter",
    "log_dir_for",
    "redact_text",
    "setup_logging",
]

LOG_FILE_NAME = "workstation.log"
MAX_BYTES = 5_000_000  #: rotate when the file would pass this size
BACKUP_COUNT = 5  #: workstation.log.1 … .5 are kept, the oldest dropped
_FORMAT = "%(asctime)s %(levelname)-8s %(name)s: %(message)s"
REDACTED = "<redacted>"
_HANDLER_NAME = "workstation-file"  #: how setup_logging finds its own earlier handler

# FIX text: tag=value up to SOH, a printed SOH (| or ␁) or whitespace. Names as well as
# numbers, for messages that were described before they were logged.
_FIX_SECRET = re.compile(
    r"(?<![0-9A-Za-z])((?:96|554|RawData|Password)(?:\(\d+\))?=)(?!<redacted)[^\x01|␁\s]+"
)
# A PEM block, or the start of one cut off before its END line.
_PEM = re.compile(
    r"-----BEGIN ([A-Z0-9 ]+)-----.*?(?:-----END \1-----|\Z)", re.DOTALL
)
# passphrase=…, "password": "…", secret: …, pass_phrase='…' — keys as code and reprs write them.
_KEYED_SECRET = re.compile(
    r"""(?ix)
    (\b[\w-]*(?:pass[_-]?phrase|password|passwd|secret)[\w-]*\b["']?\s*[:=]\s*)
    (?: b?"[^"]*" | b?'[^']*' | [^\s,;)}\]]+ )
    """
)


def redact_text(text: str) -> str:
    """``text`` with every secret this module knows how to spot replaced by ``<redacted>``."""
    text = _PEM.sub(lambda m: f"-----BEGIN {m.group(1)}----- {REDACTED}", text)
    text = _FIX_SECRET.sub(lambda m: m.group(1) + REDACTED, text)
    return _KEYED_SECRET.sub(lambda m: m.group(1) + REDACTED, text)


class RedactingFilter(logging.Filter):
    """Rewrites a record's message, traceback and stack with :func:`redact_text`.

    The record is changed in place (message formatted once, arguments dropped, the traceback
    kept as redacted text), so every handler after this one sees only the redacted record.
    """

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact_text(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_text(record.exc_text)
        if record.stack_info:
            record.stack_info = redact_text(record.stack_info)
        return True


def log_dir_for(paths: Paths) -> Path:
    """Where the logs of a workstation using ``paths`` go.

    The user log directory when ``paths`` are the user's own (no ``--data-dir``), otherwise
    ``<data dir>/logs``.
    """
    if paths.data_dir == Path(platformdirs.user_data_dir(APP_NAME)):
        return Path(platformdirs.user_log_dir(APP_NAME))
    return paths.data_dir / "logs"


@dataclass(frozen=True, slots=True, kw_only=True)
class InstalledLogging:
    """The file handler :func:`setup_logging` put on the root logger."""

    log_file: Path
    handler: logging.handlers.RotatingFileHandler
    previous_level: int  #: the root logger's level before

    @property
    def log_dir(self) -> Path:
        return self.log_file.parent

    def remove(self) -> None:
        """Take the handler off the root logger and close its file."""
        root = logging.getLogger()
        root.removeHandler(self.handler)
        root.setLevel(self.previous_level)
        self.handler.close()
        logging.captureWarnings(False)


def setup_logging(
    log_dir: Path,
    *,
    level: int = logging.INFO,
    max_bytes: int = MAX_BYTES,
    backup_count: int = BACKUP_COUNT,
) -> InstalledLogging:
    """Log the root logger's records at ``level`` and above to ``log_dir/workstation.log``.

    Idempotent per process: a handler an earlier call installed is removed first.
    """
    log_dir.mkdir(parents=True, exist_ok=True)
    log_file = log_dir / LOG_FILE_NAME
    handler = logging.handlers.RotatingFileHandler(
        log_file, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8"
    )
    handler.set_name(_HANDLER_NAME)
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    previous_level = root.level
    if root.getEffectiveLevel() > level:
        root.setLevel(level)
    logging.captureWarnings(True)  # warnings.warn(...) lands in the file too
    return InstalledLogging(log_file=log_file, handler=handler, previous_level=previous_level)

