"""Kalshi FIX workstation: a desktop trading client and a local Kalshi exchange simulator."""

__version__ = "0.1.0"
