"""Dialogs for settings and keys: connection profiles, key files, the passphrase prompt and
the start-up message for a bad settings file.

Every dialog here is opened with ``open()`` and answers through its ``finished`` signal (or
an asyncio future built on it), never ``exec()``: a nested event loop inside a coroutine
running on qasync re-enters the loop (DESIGN.md, "Known traps").
"""
