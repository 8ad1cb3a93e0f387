"""The dataset folder: its layout, the state ledger, the Parquet store, migrations.

Everything that knows where things live under ``<out>/`` imports ``baotinh.dataset.layout``.
"""
