"""The venue's state directory (``--state-dir``): see :mod:`.state_dir`."""

from workstation.simulator.persistence.state_dir import FILE_NAME, StateDir
from workstation.simulator.persistence.state_file import StateDirError

__all__ = ["FILE_NAME", "StateDir", "StateDirError"]
