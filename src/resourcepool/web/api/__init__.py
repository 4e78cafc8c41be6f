"""JSON controllers (/api/v1), one module per domain."""
