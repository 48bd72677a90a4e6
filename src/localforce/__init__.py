"""localforce: a local HTTPS server that behaves like the Salesforce REST API.

It imports nothing from ``pushforce`` (an import-linter contract enforces it).
"""
