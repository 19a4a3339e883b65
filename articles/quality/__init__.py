"""Quality measures for the portal's Arabic matching (pure Python; the benchmarks print them)."""
