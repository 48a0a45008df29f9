"""``make bench``: the portal's figures at national scale (``python -m traam.bench``).

The runner (``__main__``) resets and seeds its own PostgreSQL databases
(``traam_bench1``, ``traam_bench10``), serves the portal with gunicorn on
127.0.0.1, and measures the main pages, their SQL queries, a locust load run
and the bilans; it prints a table and writes ``BENCHMARKS.md``."""
