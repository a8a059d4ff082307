"""Qt table models over the client layer's plain records."""
