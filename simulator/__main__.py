"""`python -m simulator`: run the OpenRouter simulator."""

from simulator.cli import main

raise SystemExit(main())
