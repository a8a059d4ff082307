"""The asyncio adapter: opens TCP or TLS, feeds bytes to a sans-IO session, drains its events
and outbox, arms one timer at the session's next deadline, and reconnects with backoff.

Nothing here imports Qt or qasync; it runs on whatever asyncio loop is current.
"""
