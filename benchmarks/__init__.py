"""Performance benchmarks for Safeboard (``make bench``; not part of ``make test``). See README.md."""
