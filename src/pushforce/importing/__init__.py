"""CSV import of contacts and accounts: streaming, validated per row, idempotent on re-import.

``import_csv`` (in ``pushforce.importing.service``) is the entry point used by the REST API and
the CLI. The stages live in their own modules: ``reading`` (bytes → numbered rows), ``headers``
(which column feeds which field), ``rows`` (row → validated fields, via ``pushforce.inputs``),
``pipeline`` (chunking) and ``writing`` (batched look-ups and writes, one transaction per chunk,
one savepoint per row).
"""
