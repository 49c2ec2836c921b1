"""The province floor: many counties built by the same engine, one county per task, on Spark,
with the cross-county findings and the roll-up above them (docs/architecture.md §7).

No Django here; Spark is imported only by ``spark.py``.
"""
