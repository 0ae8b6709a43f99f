"""What crosses a service boundary: integration events and the value types they carry.

One module per producing service. These are plain pydantic models that import nothing from `services/`
(import-linter holds it); each service maps its domain to and from them at its edge.
"""
