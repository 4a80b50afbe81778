"""The plain runs' only change: multiprocessing's default start method."""

import os

if os.environ.get("DIFFERENTIAL_START_METHOD"):
    import multiprocessing.context as _context

    _context._default_context._default_context = _context._concrete_contexts[
        os.environ["DIFFERENTIAL_START_METHOD"]
    ]
