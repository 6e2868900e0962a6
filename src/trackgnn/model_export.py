"""Export a run's trained networks for inference outside Python (C++ with libtorch or ONNX
Runtime), and check that the exported programs score like the eager networks.

Input contract of the exported programs (float32 unless said, CPU):

- ``embedding``: ``x`` ``[N, F]`` node features (the run's ``feature_store.features``, scaled
  as the feature store writes them) -> ``[N, D]`` embeddings;
- ``filter`` and ``gnn``: ``x`` ``[N, F]``, ``edge_index`` int64 ``[2, E]`` (inner -> outer
  hit), ``edge_attr`` ``[E, A]`` edge geometry (:func:`trackgnn.edge_features.edge_geometry`,
  ``A`` = ``edge_features_dim`` of the model's JSON; a model trained without edge features
  still takes it and ignores it) -> ``[E]`` logits (apply a sigmoid for the scores the
  workflow cuts on).

Each exported file gets a ``<stage>.<format>.json`` beside it with this contract, the model's
hyperparameters and the parity measured at export.
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

FORMATS = ("torchscript", "onnx")
STAGES = ("embedding", "filter", "gnn")


class ExportError(ValueError):
    """A model cannot be exported (missing, unsupported format, parity failed)."""


class _EdgeProgram(nn.Module):
    """``(x, edge_index, edge_attr) -> logits`` with a fixed signature (edge_attr always given)."""

    def __init__(self, net: nn.Module, uses_edge_attr: bool):
        super().__init__()
        self.net, self.uses_edge_attr = net, uses_edge_attr

    def forward(self, x: torch.Tensor, edge_index: torch.Tensor, edge_attr: torch.Tensor) -> torch.Tensor:
        return self.net(x, edge_index, edge_attr if self.uses_edge_attr else None)


def load_stage(models: Path, stage: str) -> tuple[nn.Module, dict]:
    """The eager network of a stage and the sizes of its inputs."""
    if stage == "embedding":
        from trackgnn.graph_construction.export import load_model

        net = load_model(models / "embedding")
        hparams = dict(net.hparams)
        return net, {"node_features": len(hparams["feature_names"]), "hparams": hparams}
    if stage == "filter":
        from trackgnn.filtering.run import load_filter as load
    else:
        from trackgnn.gnn.run import load_gnn as load
    net, hparams = load(models / stage)
    program = _EdgeProgram(net, bool(hparams["edge_features"])).eval()
    return program, {
        "node_features": int(hparams["node_features"]),
        "edge_features_dim": int(hparams["edge_features_dim"]),
        "hparams": hparams,
    }


def example_inputs(stage: str, sizes: dict, n_nodes: int, n_edges: int, seed: int) -> tuple[torch.Tensor, ...]:
    """Random inputs of the contract's shapes (edges between distinct random nodes)."""
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(n_nodes, sizes["node_features"], generator=gen)
    if stage == "embedding":
        return (x,)
    src = torch.randint(0, n_nodes, (n_edges,), generator=gen)
    dst = (src + torch.randint(1, n_nodes, (n_edges,), generator=gen)) % n_nodes
    attr = torch.randn(n_edges, max(sizes["edge_features_dim"], 1), generator=gen)[:, : sizes["edge_features_dim"]]
    return x, torch.stack([src, dst]), attr


def _write_torchscript(program: nn.Module, inputs, path: Path) -> None:
    import warnings

    from trackgnn.utils.atomic import atomic_path

    with torch.no_grad(), warnings.catch_warnings():
        # input checks in forward() are traced as constants: the parity check below covers them
        warnings.simplefilter("ignore", torch.jit.TracerWarning)
        traced = torch.jit.trace(program, inputs, check_trace=False)
    with atomic_path(path) as tmp:
        torch.jit.save(traced, str(tmp))


def _write_onnx(program: nn.Module, inputs, path: Path, stage: str) -> None:
    try:
        import onnx  # noqa: F401
    except ImportError:
        raise ExportError("--format onnx needs the 'onnx' package (pip install 'trackgnn[export]')") from None
    from trackgnn.utils.atomic import atomic_path

    names = ["x"] if stage == "embedding" else ["x", "edge_index", "edge_attr"]
    axes = {"x": {0: "nodes"}, "edge_index": {1: "edges"}, "edge_attr": {0: "edges"}, "out": {0: "rows"}}
    with atomic_path(path) as tmp, torch.no_grad():
        torch.onnx.export(
            program,
            tuple(inputs),
            str(tmp),
            input_names=names,
            output_names=["out"],
            dynamic_axes={k: v for k, v in axes.items() if k in names or k == "out"},
            dynamo=True,
        )


def run_exported(path: Path, fmt: str, inputs) -> torch.Tensor:
    """Outputs of an exported file (TorchScript through torch.jit, ONNX through onnxruntime)."""
    if fmt == "torchscript":
        with torch.no_grad():
            return torch.jit.load(str(path)).eval()(*inputs)
    try:
        import onnxruntime
    except ImportError:
        raise ExportError("checking an ONNX export needs onnxruntime (pip install 'trackgnn[export]')") from None
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    feeds = {i.name: t.numpy() for i, t in zip(session.get_inputs(), inputs)}
    return torch.from_numpy(session.run(None, feeds)[0])


def parity(program: nn.Module, path: Path, fmt: str, inputs) -> float:
    """Largest absolute difference between the eager and the exported outputs."""
    with torch.no_grad():
        eager = program(*inputs)
    exported = run_exported(path, fmt, inputs)
    if exported.shape != eager.shape:
        raise ExportError(f"{path}: exported output shape {tuple(exported.shape)} != eager {tuple(eager.shape)}")
    return float((exported - eager).abs().max()) if eager.numel() else 0.0


def export_models(
    models: str | Path,
    out: str | Path,
    fmt: str = "torchscript",
    stages: tuple[str, ...] | None = None,
    tolerance: float = 1e-5,
) -> dict:
    """Export every trained stage of ``models`` into ``out`` and check parity on inputs of
    another size than the ones traced (so shapes are not baked in).

    Returns:
        per stage: the file, the contract and the largest difference found.
    """
    from trackgnn.utils.jsonio import write_json

    if fmt not in FORMATS:
        raise ExportError(f"--format {fmt!r}: expected one of {list(FORMATS)}")
    models, out = Path(models), Path(out)
    wanted = stages or tuple(s for s in STAGES if (models / s / f"{s}.pt").is_file())
    if not wanted:
        raise ExportError(f"{models}: no trained model (embedding/, filter/ or gnn/ with <stage>.pt)")
    out.mkdir(parents=True, exist_ok=True)
    report = {}
    for stage in wanted:
        program, sizes = load_stage(models, stage)
        path = out / f"{stage}.{'pt' if fmt == 'torchscript' else 'onnx'}"
        traced_inputs = example_inputs(stage, sizes, 64, 256, seed=0)
        if fmt == "torchscript":
            _write_torchscript(program, traced_inputs, path)
        else:
            _write_onnx(program, traced_inputs, path, stage)
        diff = parity(program, path, fmt, example_inputs(stage, sizes, 97, 411, seed=1))
        if not diff <= tolerance:
            path.unlink(missing_ok=True)
            raise ExportError(f"{stage}: exported {fmt} differs from the eager model by {diff:.3g} (> {tolerance})")
        record = {
            "file": path.name,
            "format": fmt,
            "max_abs_difference": diff,
            "inputs": ["x [N, F]"]
            if stage == "embedding"
            else ["x [N, F]", "edge_index int64 [2, E]", "edge_attr [E, A]"],
            "output": "[N, D] embeddings" if stage == "embedding" else "[E] logits",
            "node_features": sizes["node_features"],
            "edge_features_dim": sizes.get("edge_features_dim"),
            "hparams": sizes["hparams"],
        }
        write_json(out / f"{stage}.{fmt}.json", record)
        report[stage] = record
    return report
