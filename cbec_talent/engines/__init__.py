"""Pure-Python engines. Nothing here imports Django or an app: data in, data out (see ARCHITECTURE.md)."""
