"""Where the workstation keeps its files.

By default the settings file lives in the user's config directory and everything else (keys of
the local venue, its state, the session stores, the window layout) in the user's data
directory, as platformdirs says for this system. ``--data-dir DIR`` puts *all* of it under DIR,
settings included, so tests and parallel instances never touch the user's files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import platformdirs

__all__ = ["APP_NAME", "Paths"]

APP_NAME = "kalshi-fix-workstation"


@dataclass(frozen=True, slots=True, kw_only=True)
class Paths:
    data_dir: Path
    config_file: Path

    @classmethod
    def resolve(cls, *, data_dir: Path | None = None, config: Path | None = None) -> Paths:
        if data_dir is not None:
            base = data_dir.expanduser().resolve()
            return cls(data_dir=base, config_file=config or base / "workstation.toml")
        data = Path(platformdirs.user_data_dir(APP_NAME))
        default_config = Path(platformdirs.user_config_dir(APP_NAME)) / "workstation.toml"
        return cls(data_dir=data, config_file=config or default_config)

    @property
    def layout_file(self) -> Path:
        return self.data_dir / "layout.ini"
