"""assay: sourced facts and policy events on China's strategic minerals."""

__version__ = "0.1.0"
