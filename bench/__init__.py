"""`make bench`: bench/run.py, the entry point, and the modules it runs (README.md)."""
