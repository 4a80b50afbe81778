"""Code that runs inside the example's own interpreters, not in concdoc's.

* ``child.py`` -- started by path as the run's first interpreter: the
  supervisor of the run and, after a fork, the example's ``__main__``;
* ``boot/sitecustomize.py`` -- loaded by every Python interpreter of a run;
* :mod:`concdoc._inside.instrument` -- the patches that record a traced run;
* :mod:`concdoc._inside.tracewriter` -- the recorder those patches write with.

Everything here uses the standard library only; ``child.py`` and the boot
hook import nothing from concdoc at all (the names they share with the runner
are tied to :mod:`concdoc._protocol` by a test).
"""
