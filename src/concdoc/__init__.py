"""concdoc: run Python concurrency examples in isolation and show what they do.

The package is kept light on purpose: importing it imports nothing else.
Use the modules directly, e.g. :func:`concdoc.runner.run_example`.
"""

__version__ = "0.1.0"
