"""Writes: the only place that creates or changes articles, sources and mentions.

One module per concern: articles, gazetteer, imports, uploads, index.
"""
