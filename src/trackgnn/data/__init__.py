"""Per-event arrays on disk (HDF5) and their PyG ``Data`` form, shared by the learning stages."""

from trackgnn.data.store import StoreError, read_event_arrays, read_store, write_store

__all__ = ["StoreError", "arrays_to_data", "data_to_arrays", "read_event_arrays", "read_store", "write_store"]

_PYG = ("arrays_to_data", "data_to_arrays")


def __getattr__(name: str):
    # Imported on first use: torch_geometric (which imports torch._dynamo) takes ~4 s to import,
    # and the stages that only read and write shards (feature store, graph building, track
    # building) never need it.
    if name in _PYG:
        from trackgnn.data import pyg

        return getattr(pyg, name)
    raise AttributeError(f"module 'trackgnn.data' has no attribute {name!r}")
