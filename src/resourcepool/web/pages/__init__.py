"""HTML controllers, one module per domain."""
