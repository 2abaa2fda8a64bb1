"""Podium: search and cite who said what at think-tank events."""

__version__ = "0.1.0"
