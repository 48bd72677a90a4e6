"""Pushforce: push a sales team's records and activity into Salesforce by its push settings.

The public Python API: open the store, then write records inside your own transaction.
"""

from pushforce.records_api import create_record, delete_record, get_record, update_record
from pushforce.store.db import make_engine, migrate, read_connection, write_transaction

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "create_record",
    "delete_record",
    "get_record",
    "make_engine",
    "migrate",
    "read_connection",
    "update_record",
    "write_transaction",
]
