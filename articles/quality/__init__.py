"""Quality measures for the benchmarks: dev sets and the analyzers they compare."""
