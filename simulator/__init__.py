"""A loopback simulator of the OpenRouter HTTP API, separate from the product's layers."""

from simulator.app import create_app
from simulator.config import DEFAULT_API_KEY, Scenario, SimulatorConfig

__all__ = ["DEFAULT_API_KEY", "Scenario", "SimulatorConfig", "create_app"]
