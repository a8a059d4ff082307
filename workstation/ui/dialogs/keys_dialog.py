"""The key manager: generate, import and check the RSA keys Kalshi's FIX Logon is signed with.

As Kalshi's getting-started steps expect (SPEC §5.1): a 2048-bit RSA key pair in PKCS#8,
optionally encrypted with a passphrase; the public key PEM to paste into the account profile
(API keys → Create key), which answers with the API key ID; and a check that a key file is
readable, RSA and 2048 bits or more.

- **Generate** writes ``<name>.key.pem`` (owner-only, 0600) and ``<name>.pub.pem`` in the
  chosen folder and never overwrites a file (``fix.keys.generate_key_pair``).
- **Import** copies an existing private key into the workstation's keys folder, created
  owner-only (0600) and never over an existing file; it is checked first and refused when it
  is not a usable RSA private key. The private key is never shown.
- **Check** gives a verdict on any key file, private or public, with the reason when it
  cannot be used.

The public key PEM of the last key handled is shown under the tabs with its SHA-256
fingerprint and a Copy button. Passphrases typed here are used once and cleared; they are
never stored, logged or shown.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workstation.fix.keys import (
    KeyCheck,
    KeyFileError,
    check_key_file,
    generate_key_pair,
    load_private_key,
    load_public_key,
    public_key_fingerprint,
)
from workstation.ui.dialogs.file_pick import choose_into
from workstation.ui.models.table_base import is_dark_palette
from workstation.ui.theme import STATUS_COLORS, Theme

__all__ = ["KeyVerdict", "KeysDialog", "import_private_key", "verdict_of"]

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
KALSHI_HINT = (
    "Paste this public key into your Kalshi account profile (API keys → Create key); "
    "Kalshi answers with the API key ID to put in the connection profile."
)


@dataclass(frozen=True, slots=True, kw_only=True)
class KeyVerdict:
    """What the dialog says about a key file: usable or not, and why."""

    ok: bool
    text: str


def verdict_of(check: KeyCheck) -> KeyVerdict:
    """The sentence for a :class:`~workstation.fix.keys.KeyCheck` (reason first when bad)."""
    if check.needs_passphrase:
        return KeyVerdict(
            ok=False,
            text="Encrypted private key: enter its passphrase to check it.",
        )
    if not check.ok:
        problem = _strip_path(check.problem or "", Path(check.path))
        return KeyVerdict(ok=False, text=f"Cannot be used: {problem}")
    encrypted = "encrypted " if check.encrypted else ""
    return KeyVerdict(
        ok=True,
        text=f"RSA {check.bits}-bit {encrypted}{check.kind} key: fine for Kalshi FIX.",
    )


def _public_pem(key: rsa.RSAPublicKey) -> str:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def import_private_key(source: Path, keys_dir: Path, passphrase: str | None = None) -> Path:
    """Copy a usable RSA private key into ``keys_dir`` (created 0700) as an owner-only file.

    Refuses (:class:`KeyFileError`) a file that is not an RSA private key of 2048 bits or
    more, and never overwrites: the copy keeps the source's name. An encrypted key is copied
    as it is; with ``passphrase`` it is checked first.
    """
    check = check_key_file(source, passphrase)
    if check.kind != "private":
        problem = check.problem or "is a public key; import the private key"
        raise KeyFileError(source, _strip_path(problem, source))
    if not check.ok and not check.needs_passphrase:
        raise KeyFileError(source, _strip_path(check.problem or "cannot be used", source))
    data = source.read_bytes()
    keys_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = keys_dir / source.name
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(target, flags, 0o600)
    except FileExistsError:
        raise KeyFileError(target, "already exists; refusing to overwrite it") from None
    except OSError as exc:
        raise KeyFileError(target, f"cannot be created: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target


def _strip_path(problem: str, path: Path) -> str:
    prefix = f"{os.fspath(path)}: "
    return problem.removeprefix(prefix)


class KeysDialog(QDialog):
    """See the module docstring. ``keys_dir`` is where generated and imported keys go."""

    def __init__(self, keys_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keysDialog")
        self.setWindowTitle("Keys")
        self.keys_dir = keys_dir
        self.public_pem = ""
        self.fingerprint = ""
        self.last_files: list[Path] = []
        self.verdict_ok = False
        self._colours = STATUS_COLORS[
            Theme.DARK if is_dark_palette(self.palette()) else Theme.LIGHT
        ]

        layout = QVBoxLayout(self)
        intro = QLabel(
            "Kalshi signs every FIX Logon with an RSA key of 2048 bits or more. Generate a "
            "pair here (or import one), upload the public key to Kalshi, and put the API key "
            "ID and the private key file in Settings → Connection profiles."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("keysTabs")
        self.tabs.addTab(self._generate_tab(), "Generate")
        self.tabs.addTab(self._import_tab(), "Import")
        self.tabs.addTab(self._check_tab(), "Check")
        layout.addWidget(self.tabs)

        self.verdict = QLabel()
        self.verdict.setObjectName("keysVerdict")
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.verdict)

        hint = QLabel(KALSHI_HINT)
        hint.setWordWrap(True)
        hint.setStyleSheet(f"color: {self._colours.muted};")
        layout.addWidget(hint)
        self.pem_view = QPlainTextEdit()
        self.pem_view.setObjectName("keysPublicPem")
        self.pem_view.setReadOnly(True)
        self.pem_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.pem_view.setPlaceholderText("The public key of the key you generate, import or check")
        self.pem_view.setMinimumHeight(170)
        layout.addWidget(self.pem_view, 1)
        foot = QHBoxLayout()
        self.fingerprint_label = QLabel()
        self.fingerprint_label.setObjectName("keysFingerprint")
        self.fingerprint_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        foot.addWidget(self.fingerprint_label, 1)
        self.copy_button = QPushButton("Copy public key")
        self.copy_button.setObjectName("keysCopy")
        self.copy_button.setEnabled(False)
        self.copy_button.clicked.connect(self.copy_public_key)
        foot.addWidget(self.copy_button)
        layout.addLayout(foot)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, 640)

    # ------------------------------------------------------------------ building

    def _path_row(self, edit: QLineEdit, caption: str, *, folder: bool = False) -> QWidget:
        row = QWidget()
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(edit, 1)
        browse = QToolButton()
        browse.setText("…")
        browse.setToolTip(caption)
        browse.clicked.connect(
            lambda: choose_into(self, edit, caption, folder=folder, start=self.keys_dir)
        )
        box.addWidget(browse)
        return row

    @staticmethod
    def _secret(name: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setPlaceholderText(placeholder)
        return edit

    def _generate_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self._generate_form = form
        self.folder_edit = QLineEdit(str(self.keys_dir))
        self.folder_edit.setObjectName("keysFolder")
        folder_row = self._path_row(self.folder_edit, "Folder for the new keys", folder=True)
        form.addRow("Folder", folder_row)
        self.name_edit = QLineEdit("kalshi-fix")
        self.name_edit.setObjectName("keysName")
        self.name_edit.setToolTip("Files: <name>.key.pem (private) and <name>.pub.pem (public)")
        form.addRow("Name", self.name_edit)
        self.files_label = QLabel()
        self.files_label.setObjectName("keysFiles")
        self.files_label.setStyleSheet(f"color: {self._colours.muted};")
        form.addRow("", self.files_label)
        self.encrypt_check = QCheckBox("Encrypt the private key with a passphrase")
        self.encrypt_check.setObjectName("keysEncrypt")
        form.addRow("", self.encrypt_check)
        self.new_passphrase = self._secret("keysPassphrase", "Passphrase (never stored)")
        self.repeat_passphrase = self._secret("keysPassphraseRepeat", "Repeat the passphrase")
        form.addRow("Passphrase", self.new_passphrase)
        form.addRow("Repeat", self.repeat_passphrase)
        self.generate_button = QPushButton("Generate 2048-bit key pair")
        self.generate_button.setObjectName("keysGenerate")
        self.generate_button.clicked.connect(self.generate)
        form.addRow("", self.generate_button)

        self.encrypt_check.toggled.connect(self._encrypt_toggled)
        self.folder_edit.textChanged.connect(self._show_files)
        self.name_edit.textChanged.connect(self._show_files)
        self._encrypt_toggled(False)
        self._show_files()
        return page

    def _import_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.import_edit = QLineEdit()
        self.import_edit.setObjectName("keysImportFile")
        self.import_edit.setPlaceholderText("An RSA private key file (PEM)")
        form.addRow(
            "Private key", self._path_row(self.import_edit, "Private key file to import")
        )
        self.import_passphrase = self._secret(
            "keysImportPassphrase", "Only for an encrypted key, to check it (not stored)"
        )
        form.addRow("Passphrase", self.import_passphrase)
        note = QLabel(
            f"The file is copied into {self.keys_dir} with owner-only permissions (0600); "
            "an existing file is never replaced."
        )
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {self._colours.muted};")
        form.addRow("", note)
        self.import_button = QPushButton("Import")
        self.import_button.setObjectName("keysImport")
        self.import_button.clicked.connect(self.import_key)
        form.addRow("", self.import_button)
        return page

    def _check_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.check_edit = QLineEdit()
        self.check_edit.setObjectName("keysCheckFile")
        self.check_edit.setPlaceholderText("A private or public key file (PEM)")
        form.addRow("Key file", self._path_row(self.check_edit, "Key file to check"))
        self.check_passphrase = self._secret(
            "keysCheckPassphrase", "Only for an encrypted private key (not stored)"
        )
        form.addRow("Passphrase", self.check_passphrase)
        self.check_button = QPushButton("Check")
        self.check_button.setObjectName("keysCheck")
        self.check_button.clicked.connect(self.check_key)
        form.addRow("", self.check_button)
        return page

    def _encrypt_toggled(self, on: bool) -> None:
        for edit in (self.new_passphrase, self.repeat_passphrase):
            self._generate_form.setRowVisible(edit, on)
            if not on:
                edit.clear()

    def _show_files(self, *_args: object) -> None:
        private, public = self._new_paths()
        self.files_label.setText(f"Writes {private.name} (owner-only) and {public.name}")

    def _new_paths(self) -> tuple[Path, Path]:
        folder = Path(self.folder_edit.text().strip() or ".").expanduser()
        name = self.name_edit.text().strip()
        return folder / f"{name}.key.pem", folder / f"{name}.pub.pem"

    # ------------------------------------------------------------------ results

    def _say(self, ok: bool, text: str) -> None:
        colour = self._colours.ok if ok else self._colours.bad
        mark = "✔" if ok else "✘"
        self.verdict.setStyleSheet(f"color: {colour};")
        self.verdict.setText(f"{mark} {text}")
        self.verdict_ok = ok

    def _show_public(self, key: rsa.RSAPublicKey | None) -> None:
        if key is None:
            self.public_pem = self.fingerprint = ""
            self.pem_view.clear()
            self.fingerprint_label.clear()
        else:
            self.public_pem = _public_pem(key)
            self.fingerprint = public_key_fingerprint(key)
            self.pem_view.setPlainText(self.public_pem)
            self.fingerprint_label.setText(f"SHA-256 fingerprint: {self.fingerprint}")
        self.copy_button.setEnabled(bool(self.public_pem))

    def copy_public_key(self) -> None:
        """Put the shown public key PEM on the clipboard."""
        if self.public_pem:
            QGuiApplication.clipboard().setText(self.public_pem)
            self.copy_button.setText("Copied")

    # ------------------------------------------------------------------ actions

    def generate(self) -> bool:
        """Write a new key pair from the Generate tab's fields; True when it was written."""
        self.copy_button.setText("Copy public key")
        name = self.name_edit.text().strip()
        if not _NAME.match(name):
            self._say(False, "Name: use letters, digits, '.', '-' or '_' (no folders)")
            return False
        passphrase: str | None = None
        if self.encrypt_check.isChecked():
            passphrase = self.new_passphrase.text()
            repeat = self.repeat_passphrase.text()
            if not passphrase:
                self._say(False, "Enter a passphrase, or untick encryption")
                return False
            if passphrase != repeat:
                self._say(False, "The two passphrases differ; nothing was written")
                return False
        private, public = self._new_paths()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            private.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            key = generate_key_pair(private, public, passphrase)
        except KeyFileError as exc:
            self._say(False, str(exc))
            return False
        except OSError as exc:
            self._say(False, f"{private.parent}: cannot be created ({exc.strerror or exc})")
            return False
        finally:
            QApplication.restoreOverrideCursor()
            self.new_passphrase.clear()
            self.repeat_passphrase.clear()
        self.last_files = [private, public]
        encrypted = ", encrypted" if passphrase else ""
        self._say(True, f"Wrote {private} (owner-only{encrypted}) and {public}.")
        self._show_public(key.public_key())
        return True

    def import_key(self) -> Path | None:
        """Copy the Import tab's file into the keys folder; the new path, or None."""
        self.copy_button.setText("Copy public key")
        text = self.import_edit.text().strip()
        passphrase = self.import_passphrase.text() or None
        self.import_passphrase.clear()
        if not text:
            self._say(False, "Choose the private key file to import")
            return None
        source = Path(text).expanduser()
        try:
            target = import_private_key(source, self.keys_dir, passphrase)
        except KeyFileError as exc:
            self._say(False, f"Not imported: {exc}")
            return None
        except OSError as exc:
            self._say(False, f"Not imported: {source}: {exc.strerror or exc}")
            return None
        self.last_files = [target]
        public: rsa.RSAPublicKey | None = None
        try:
            public = load_private_key(target, passphrase).public_key()
        except KeyFileError:
            public = None
        if public is None:
            self._say(
                True,
                f"Imported to {target} (owner-only). It is encrypted: the workstation asks "
                "for its passphrase when it logs on.",
            )
        else:
            self._say(True, f"Imported to {target} (owner-only): RSA {public.key_size}-bit.")
        self._show_public(public)
        return target

    def check_key(self) -> KeyVerdict | None:
        """Check the Check tab's file and show the verdict (and its public key if usable)."""
        self.copy_button.setText("Copy public key")
        text = self.check_edit.text().strip()
        passphrase = self.check_passphrase.text() or None
        self.check_passphrase.clear()
        if not text:
            self._say(False, "Choose a key file to check")
            return None
        path = Path(text).expanduser()
        check = check_key_file(path, passphrase)
        verdict = verdict_of(check)
        self._say(verdict.ok, verdict.text)
        public: rsa.RSAPublicKey | None = None
        if verdict.ok:
            try:
                if check.kind == "public":
                    public = load_public_key(path)
                else:
                    public = load_private_key(path, passphrase).public_key()
            except KeyFileError:
                public = None
        self._show_public(public)
        return verdict
