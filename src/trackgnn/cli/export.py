"""``trackgnn export``: a run's networks as TorchScript or ONNX, with a parity check."""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "export",
        help="export the trained embedding, filter and GNN as TorchScript or ONNX (for C++ inference)",
        description=(
            "Trace each trained network of --models (embedding, filter, gnn; those present) into --out as "
            "TorchScript (<stage>.pt, libtorch) or ONNX (<stage>.onnx, ONNX Runtime), check that it scores "
            "like the eager network on inputs of another size (largest difference <= --tolerance), and write "
            "the input contract beside each file (<stage>.<format>.json)."
        ),
    )
    parser.add_argument("--models", required=True, help="models folder of a trained run (results/<run>/models)")
    parser.add_argument("--out", required=True, help="output folder")
    parser.add_argument("--format", default="torchscript", choices=["torchscript", "onnx"], help="export format")
    parser.add_argument("--stages", nargs="+", choices=["embedding", "filter", "gnn"], help="only these stages")
    parser.add_argument("--tolerance", type=float, default=1e-5, help="largest accepted eager/exported difference")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from trackgnn.model_export import export_models
    from trackgnn.utils.jsonio import dumps

    report = export_models(
        args.models, args.out, args.format, tuple(args.stages) if args.stages else None, args.tolerance
    )
    print(dumps({stage: {k: r[k] for k in ("file", "max_abs_difference")} for stage, r in report.items()}))
    return 0
