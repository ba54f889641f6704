"""Root pytest configuration.

Import the package before pytest collects its modules for doctests: pytest's importlib mode
reuses a module that is already in ``sys.modules``, but imports a fresh copy otherwise and
rebinds it on the package, which would shadow the functions ``casualtyrec.extract`` and
``casualtyrec.reconcile`` with their modules of the same name.
"""

import casualtyrec  # noqa: F401
