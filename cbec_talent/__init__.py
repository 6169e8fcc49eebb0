"""CBEC Talent: cross-border e-commerce talent training, from job postings to graduation."""

__version__ = "0.1.0"
