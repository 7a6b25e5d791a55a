"""Core: the records, the source texts, the dataset and its checks, dates and places. Imports nothing else of the Atlas."""
