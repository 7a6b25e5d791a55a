"""Analysis: what the records say (alignment index, perspectives, search, exploration). Imports only atlas.core."""
