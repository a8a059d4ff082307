"""The standalone build's entry point: the ``workstation`` console script, frozen.

Everything the installed command does, the built executable does (``keygen``, ``sim`` and the
GUI), because both call the same :func:`workstation.__main__.main`.
"""

from __future__ import annotations

import sys

from workstation.__main__ import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
