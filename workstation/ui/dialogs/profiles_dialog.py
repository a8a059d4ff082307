"""Settings → Connection profiles: edit the profiles, choose the one to open, save as TOML.

The list on the left holds every profile (the built-in Local, Demo and Production, and any
the trader adds); the editor on the right is a :class:`ProfileEditor` per profile. Problems
are shown inline as the trader types and Save stays disabled while any is blocking. Save
writes the whole settings file with ``dump_config`` — checked by reading it back with
``load_config`` before it replaces the old file atomically — and says that a restart
applies it: a running Desk keeps its sessions. Risk limits and polling are kept as they were.
Passphrases are never part of the file.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from workstation.client.config import ConfigError, WorkstationConfig, dump_config, load_config
from workstation.client.profiles import Profile, SessionSettings, VenueKind
from workstation.fix.dialect import SessionType
from workstation.ui.dialogs.profile_editor import BUILT_IN_PROFILES, KIND_LABELS, ProfileEditor
from workstation.ui.dialogs.validation import Problem
from workstation.ui.models.table_base import is_dark_palette
from workstation.ui.theme import STATUS_COLORS, Theme

__all__ = ["ProfilesDialog", "save_config"]

RESTART_NOTE = "Restart the workstation to apply the changes."


def save_config(config: WorkstationConfig, path: Path) -> None:
    """Write ``config`` to ``path`` atomically (owner-only), after checking it reads back.

    The text goes to a temporary file beside ``path``, which is read with ``load_config``
    (a :class:`ConfigError` leaves the old file as it was), flushed to disk and renamed
    over ``path``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    text = dump_config(config)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(tmp, flags, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        try:
            load_config(tmp)
        except ConfigError as exc:
            raise ConfigError(str(exc).replace(str(tmp), str(path))) from None
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    if hasattr(os, "O_DIRECTORY"):
        dir_fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _new_profile(name: str) -> Profile:
    sessions = {st: SessionSettings(session_type=st) for st in SessionType}
    return Profile(name=name, kind=VenueKind.CUSTOM, host="", sessions=sessions)


class ProfilesDialog(QDialog):
    """See the module docstring. Open it with ``open()``."""

    #: emitted with the settings file's path after a successful save
    saved_to = Signal(Path)

    def __init__(
        self,
        config: WorkstationConfig,
        config_path: Path,
        *,
        load_problem: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("profilesDialog")
        self.setWindowTitle("Connection profiles")
        self.config = config
        self.config_path = config_path
        self.editors: list[ProfileEditor] = []
        self.saved = False
        self._colours = STATUS_COLORS[
            Theme.DARK if is_dark_palette(self.palette()) else Theme.LIGHT
        ]

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("Open at start-up:"))
        self.active_combo = QComboBox()
        self.active_combo.setObjectName("profilesActive")
        self.active_combo.setMinimumWidth(200)
        top.addWidget(self.active_combo)
        top.addStretch(1)
        where = QLabel(f"Settings file: {config_path}")
        where.setStyleSheet(f"color: {self._colours.muted};")
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top.addWidget(where)
        layout.addLayout(top)
        if load_problem:
            note = QLabel(
                f"The settings file could not be read, so the defaults are shown; saving "
                f"replaces it.\n{load_problem}"
            )
            note.setObjectName("profilesLoadProblem")
            note.setWordWrap(True)
            note.setStyleSheet(f"color: {self._colours.bad};")
            layout.addWidget(note)

        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.setObjectName("profilesList")
        left_layout.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        self.new_button = QPushButton("New")
        self.new_button.setObjectName("profilesNew")
        self.copy_button = QPushButton("Duplicate")
        self.copy_button.setObjectName("profilesDuplicate")
        self.remove_button = QPushButton("Remove")
        self.remove_button.setObjectName("profilesRemove")
        for button in (self.new_button, self.copy_button, self.remove_button):
            buttons.addWidget(button)
        left_layout.addLayout(buttons)
        split.addWidget(left)
        self.stack = QStackedWidget()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.stack)
        split.addWidget(scroll)
        split.setStretchFactor(1, 1)
        split.setSizes([235, 965])
        layout.addWidget(split, 1)

        self.problems = QLabel()
        self.problems.setObjectName("profilesProblems")
        self.problems.setWordWrap(True)
        self.problems.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.problems)
        self.status = QLabel()
        self.status.setObjectName("profilesStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.box = QDialogButtonBox()
        self.save_button = self.box.addButton(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("profilesSave")
        self.close_button = self.box.addButton(QDialogButtonBox.StandardButton.Close)
        self.save_button.clicked.connect(self.save)
        self.box.rejected.connect(self.reject)
        layout.addWidget(self.box)

        for profile in config.profiles.values():
            self._add_editor(profile)
        self._refresh_names()
        self.active_combo.setCurrentIndex(max(0, list(config.profiles).index(config.profile)))
        self.list.setCurrentRow(self.active_combo.currentIndex())
        self.list.currentRowChanged.connect(self._row_changed)
        self.active_combo.currentIndexChanged.connect(lambda _i: self._changed())
        self.new_button.clicked.connect(self.new_profile)
        self.copy_button.clicked.connect(self.duplicate_profile)
        self.remove_button.clicked.connect(self.remove_profile)
        self._row_changed(self.list.currentRow())
        self.resize(1220, 780)

    # ------------------------------------------------------------------ profiles

    def _add_editor(self, profile: Profile) -> ProfileEditor:
        editor = ProfileEditor(profile, name_taken=self._taken)
        editor.changed.connect(self._changed)
        self.editors.append(editor)
        self.stack.addWidget(editor)
        self.list.addItem(QListWidgetItem())
        return editor

    def _taken(self, editor: ProfileEditor, name: str) -> bool:
        return any(e is not editor and e.name() == name for e in self.editors)

    def editor(self, name: str) -> ProfileEditor:
        """The editor of the profile called ``name``."""
        for editor in self.editors:
            if editor.name() == name:
                return editor
        raise KeyError(name)

    def current_editor(self) -> ProfileEditor:
        return self.editors[max(self.list.currentRow(), 0)]

    def select(self, name: str) -> ProfileEditor:
        editor = self.editor(name)
        self.list.setCurrentRow(self.editors.index(editor))
        return editor

    def set_active(self, name: str) -> None:
        self.active_combo.setCurrentIndex(self.editors.index(self.editor(name)))

    def _fresh_name(self, stem: str) -> str:
        names = {e.name() for e in self.editors}
        n = 1
        while f"{stem}-{n}" in names:
            n += 1
        return f"{stem}-{n}"

    def new_profile(self) -> ProfileEditor:
        """Add a custom-host profile and show it."""
        editor = self._add_editor(_new_profile(self._fresh_name("custom")))
        self._refresh_names()
        self.list.setCurrentRow(len(self.editors) - 1)
        self._changed()
        return editor

    def duplicate_profile(self) -> ProfileEditor:
        """Copy the shown profile (as edited) under a new name."""
        source = self.current_editor()
        profile = replace(source.profile(), name=self._fresh_name(source.name() or "profile"))
        editor = self._add_editor(profile)
        self._refresh_names()
        self.list.setCurrentRow(len(self.editors) - 1)
        self._changed()
        return editor

    def remove_profile(self) -> None:
        """Remove the shown profile (not a built-in one; they always come back)."""
        row = self.list.currentRow()
        if row < 0 or self.editors[row].base.name in BUILT_IN_PROFILES:
            return
        active = self.editors[self.active_combo.currentIndex()]
        editor = self.editors.pop(row)
        self.stack.removeWidget(editor)
        editor.deleteLater()
        self.list.takeItem(row)
        self._refresh_names()
        if active is editor:
            active = self.editors[0]
        self.active_combo.setCurrentIndex(self.editors.index(active))
        self._row_changed(self.list.currentRow())
        self._changed()

    def _refresh_names(self) -> None:
        active = self.active_combo.currentIndex()
        self.active_combo.blockSignals(True)
        self.active_combo.clear()
        for i, editor in enumerate(self.editors):
            kind = KIND_LABELS[editor.kind].removeprefix("Kalshi ")
            label = f"{editor.name() or '(no name)'}  ·  {kind}"
            if editor.monitor_check.isChecked():
                label += " (monitor)"
            self.active_combo.addItem(label, editor.name())
            item = self.list.item(i)
            if item is not None:
                item.setText(label)
        self.active_combo.setCurrentIndex(min(max(active, 0), len(self.editors) - 1))
        self.active_combo.blockSignals(False)

    def _row_changed(self, row: int) -> None:
        if 0 <= row < len(self.editors):
            self.stack.setCurrentWidget(self.editors[row])
            builtin = self.editors[row].base.name in BUILT_IN_PROFILES
            self.remove_button.setEnabled(not builtin)
            self.remove_button.setToolTip(
                "A built-in profile cannot be removed" if builtin else "Remove this profile"
            )
            self.validate()

    # ------------------------------------------------------------------ validating, saving

    def _changed(self) -> None:
        self._refresh_names()
        self.status.setText("")
        self.saved = False
        self.validate()

    def validate(self) -> bool:
        """Mark every problem; Save is enabled only when none blocks. True when valid.

        The shown profile's problems are listed above the buttons; a profile in the list
        with a blocking problem is marked ✘.
        """
        current = self.list.currentRow()
        shown: list[Problem] = []
        elsewhere: list[str] = []
        for i, editor in enumerate(self.editors):
            found = editor.problems()
            blocking = [p for p in found if p.blocking]
            item = self.list.item(i)
            if item is not None:
                text = item.text().removeprefix("✘ ")
                item.setText(f"✘ {text}" if blocking else text)
                item.setToolTip(blocking[0].text if blocking else "")
            if i == current:
                shown = found
            elif blocking:
                elsewhere.append(editor.name() or "(no name)")
        self._show_problems(shown, elsewhere)
        ok = not elsewhere and not any(p.blocking for p in shown)
        self.save_button.setEnabled(ok)
        self.save_button.setToolTip("" if ok else "Fix the fields marked in red first")
        return ok

    def _show_problems(self, shown: list[Problem], elsewhere: list[str]) -> None:
        lines = [f"{'✘' if p.blocking else '⚠'} {p.text}" for p in shown]
        if elsewhere:
            lines.append(f"✘ also to fix: the profile {', '.join(elsewhere)}")
        blocking = bool(elsewhere) or any(p.blocking for p in shown)
        colour = self._colours.bad if blocking else self._colours.busy
        self.problems.setStyleSheet(f"color: {colour};")
        self.problems.setText("\n".join(lines))
        self.problems.setVisible(bool(lines))

    def result_config(self) -> WorkstationConfig:
        """The settings as edited (risk limits and polling as they were)."""
        profiles = {editor.name(): editor.profile() for editor in self.editors}
        active = self.editors[max(self.active_combo.currentIndex(), 0)].name()
        return replace(self.config, profile=active, profiles=profiles)

    def save(self) -> bool:
        """Validate and write the settings file; the status line says what happened."""
        if not self.validate():
            self._say(False, "Not saved: fix the fields marked in red first.")
            return False
        config = self.result_config()
        try:
            save_config(config, self.config_path)
        except (ConfigError, OSError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self._say(False, f"Not saved: {reason}")
            return False
        self.config = config
        self.saved = True
        self._say(True, f"Saved to {self.config_path}. {RESTART_NOTE}")
        self.saved_to.emit(self.config_path)
        return True

    def _say(self, ok: bool, text: str) -> None:
        colour = self._colours.ok if ok else self._colours.bad
        self.status.setStyleSheet(f"color: {colour};")
        self.status.setText(text)
