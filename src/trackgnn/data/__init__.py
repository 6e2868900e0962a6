"""Per-event arrays on disk (HDF5) and their PyG ``Data`` form, shared by the learning stages."""

from trackgnn.data.store import StoreError, read_event_arrays, read_store, write_store
from trackgnn.data.pyg import arrays_to_data, data_to_arrays

__all__ = ["StoreError", "arrays_to_data", "data_to_arrays", "read_event_arrays", "read_store", "write_store"]
