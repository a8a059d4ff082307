"""The FIX protocol, sans-IO: bytes in, events out, bytes to send out. No sockets, no clock."""
