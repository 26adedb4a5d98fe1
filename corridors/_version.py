"""The package version, read by the build (``pyproject.toml``) and by the on-disk caches."""

__version__ = "0.1.0"
