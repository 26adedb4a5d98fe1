"""Read and validate ``seeds/``: the schema, the files, and the geography checks."""
