"""Read and validate ``seeds/``: the schema, the files, and the geography checks.

``seeds`` loads everything (:func:`~corridors.data.seeds.load_seeds`); ``files`` reads YAML and
CSV with line numbers; ``rows`` checks rows against ``schema``; ``validate`` checks references
and geography across files; ``problems`` collects what is wrong without cascades.
"""
