"""Pushforce: push a sales team's records and activity into Salesforce by the team's push settings."""

__version__ = "0.1.0"

__all__ = ["__version__"]
