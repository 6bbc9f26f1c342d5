"""The ports: one module per area. Adapters implement them; use cases depend on them."""
