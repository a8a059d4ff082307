"""``workstation``: the desktop GUI (built in a later issue)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    print("The workstation GUI is not built yet; the FIX engine and simulator come first.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
