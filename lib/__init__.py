"""政协党建文本分析: turn Chinese texts about CPPCC work and party building into tables."""

__version__ = "0.1.0"
