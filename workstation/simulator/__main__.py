"""``python -m workstation.simulator`` runs the local Kalshi venue."""

from __future__ import annotations

import sys

from workstation.simulator.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
