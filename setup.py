# Only for scrapyd-deploy and `setup.py bdist_egg`, which need a setup.py: the metadata, package
# data (the registry) and the scrapy settings entry point are all in pyproject.toml.
from setuptools import setup

setup()
