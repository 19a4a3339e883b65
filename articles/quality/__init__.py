"""Quality measures for the benchmarks: dev sets, judged sets and the analyzers they compare."""
