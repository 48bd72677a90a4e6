"""Composition root: turns a Config into adapters. Nothing else constructs adapters."""
