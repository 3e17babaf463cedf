"""Benchmarks (``make bench``, ``make bench-memory``): ratios measured in one run.

Never part of ``make test``. Each module measures one or more figures of the
performance issue and returns :class:`benchmarks.common.Figure` rows; ``run`` prints
them as one Markdown table.
"""
