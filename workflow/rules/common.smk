# Config validation (defaults filled from the schema), the event plan and helpers.
import os
import shutil
import sys
from pathlib import Path

from snakemake.logging import logger

from trackgnn.io import list_event_ids
from trackgnn.plan import plan_shards, run_events
from trackgnn.report.comparison import METHODS as COMPARISON_METHODS
from trackgnn.config import load_yaml, validate_config
from trackgnn.config_legacy import legacy_keys, merge_sources
from trackgnn.gpu import apply_gpu_resources, inference_device
from trackgnn.utils.codehash import command_hash
from trackgnn.utils.conda_env import write_deployed_env
from trackgnn.utils.jsonio import dumps, write_json
from trackgnn.utils.provenance import run_record
from trackgnn.utils.atomic import atomic_write_text

# Snakemake's YAML loader keeps the last of two equal keys without a word: refuse them
# Each config file read once, in Snakemake's merge order: duplicate keys refused (load_yaml),
# and the parsed files kept for the renamed sections below.
_CONFIG_FILES = [
    Path(f)
    for f in [
        *(
            []
            if workflow.config_settings.replace_workflow_config
            else [Path("config/config.yaml")]
        ),
        *workflow.overwrite_configfiles,
    ]
    if Path(f).is_file()
]
_SOURCES = [(str(f), load_yaml(f.read_text(), str(f))) for f in _CONFIG_FILES]
_SOURCES.append(("--config", dict(workflow.config_settings.config)))
# Config sections renamed since (trackgnn.config_legacy): Snakemake has merged the config
# files and --config into one mapping already, so a preset with the new names and an older
# overlay with the old ones would collide there. Rebuild the config from its sources in
# Snakemake's order, each renamed on its own (with a deprecation warning naming it).
if any(legacy_keys(data) for _, data in _SOURCES):
    # the deprecation messages go to Snakemake's log (it shows no Python warnings here)
    _MERGED = merge_sources(_SOURCES, report=logger.warning)
    config.clear()
    config.update(_MERGED)
# the schema (shipped in the package) fills the defaults; errors name the dotted key
validate_config(config, source="config", coerce=True)
# resources.<class>.gpu > 0: the jobs of that class use the GPU they are given
apply_gpu_resources(config)

# The stage commands are the `trackgnn` console script installed next to the Python that
# runs Snakemake (.venv/bin): when that folder is not on PATH, as when `.venv/bin/snakemake`
# is called without activating the virtual environment, put it first on the PATH the jobs
# inherit. A job's conda environment (--sdm conda) is activated inside the job
# and still comes first.
_INTERPRETER_BIN = os.path.dirname(sys.executable)
if shutil.which("trackgnn") is None and os.path.exists(
    os.path.join(_INTERPRETER_BIN, "trackgnn")
):
    os.environ.update(PATH=_INTERPRETER_BIN + os.pathsep + os.environ.get("PATH", ""))

RUN = f"{config['run']['results_dir']}/{config['run']['name']}"
FS = f"{RUN}/feature_store"
# trained models (and the module map): the run's own, or another run's for inference
MODELS = config["inference"]["models_dir"] or f"{RUN}/models"
# The jobs' software environment under --sdm conda is envs/trackgnn.yaml plus this
# checkout installed by absolute path (a relative path would resolve from Snakemake's copy
# of the file in .snakemake/conda/), written only when conda deploys the jobs.
_DEPLOYMENT = getattr(workflow.deployment_settings, "deployment_method", None) or ()
if any(method.name == "CONDA" for method in _DEPLOYMENT):
    CONDA_ENV = str(
        write_deployed_env(
            Path(workflow.basedir) / "envs" / "trackgnn.yaml",
            workflow.basedir,
            Path(".snakemake") / "trackgnn",
        )
    )
else:
    CONDA_ENV = "../../envs/trackgnn.yaml"

# The resolved config (defaults filled, command-line overrides applied) is what the
# stage commands read. It is written when a run starts executing (onstart: after Snakemake
# has locked every file of the run, never in a dry run, never in a SLURM job step), so a
# dry run writes nothing and a second run with another config under the same run name is
# refused by the lock instead of changing what the pending jobs of the first one read. It
# is not an input of any rule: each rule lists the config sections it depends on in
# params, so only a change there reruns it.
RESOLVED = f"{RUN}/config.resolved.json"
RESOLVED_TEXT = dumps(config) + "\n"


if config["data"]["source"] == "directory":
    if not config["data"]["input_dir"]:
        raise ValueError(
            "config key 'data.input_dir' is required when data.source is 'directory'"
        )
    AVAILABLE = list_event_ids(config["data"]["input_dir"])
else:
    AVAILABLE = None
SPLIT_EVENTS = run_events(config, AVAILABLE)
SHARDS = plan_shards(SPLIT_EVENTS, config["run"]["events_per_shard"])
TEST_SHARDS = [s for s in SHARDS if s.startswith("test-")]
TRAIN_SHARDS = [s for s in SHARDS if s.startswith("train-")]
VAL_SHARDS = [s for s in SHARDS if s.startswith("val-")]
HAS_TRUTH = config["data"]["has_truth"]
# metric_learning (embedding + radius graph) or module_map (learned from simulated truth)
GRAPH_METHOD = config["graph_construction"]["method"]
if not HAS_TRUTH and not config["inference"]["models_dir"]:
    raise ValueError(
        "config key 'inference.models_dir' is required when data.has_truth is false "
        "(models cannot be trained without truth)"
    )


def shard_events(wildcards):
    """Comma-separated event ids of a shard (a params value: changes rerun the shard)."""
    return ",".join(str(e) for e in SHARDS[wildcards.shard])


_COMMAND_CODE = {}


def command_code(command):
    """Digest of the code ``trackgnn <command>`` runs (its import closure), as a params
    value: editing any module the job executes reruns it, and nothing else does."""
    if command not in _COMMAND_CODE:
        _COMMAND_CODE[command] = command_hash(command)
    return _COMMAND_CODE[command]


RES = config["resources"]


def resources_of(kind):
    """Snakemake resources of a job class from config section 'resources' (no thread key)."""
    spec = RES[kind]
    out = {
        "mem_mb": spec["mem_mb"],
        "runtime": spec["runtime"],
        "cpus_per_task": spec["threads"],
    }
    if spec.get("gpu", 0) > 0:
        out["gpu"] = spec["gpu"]
        if spec.get("gpu_model"):
            out["gpu_model"] = spec["gpu_model"]
    return out


# Keys read only where a trained model is applied (graph building, edge scoring). Training
# rules leave them out of their params, so tuning e.g. the radius or a cut reruns the
# inference rules and what follows, not the training: unless the early-stopping monitor is
# a validation figure that depends on them (anything but val_loss).
APPLY_ONLY = {
    "metric_learning": [
        "radius",
        "knn",
        "backend",
        "backend_options",
        "threads",
        "curve_radii",
        "curve_knn",
    ],
    "filtering": ["cut", "chunk_size"],
    "gnn": ["cut"],
}


def training_seed(section):
    """The seed of a stage's training (its own, or run.seed when null)."""
    spec = config[section]
    seed = spec["seed"] if section == "metric_learning" else spec["training"]["seed"]
    return config["run"]["seed"] if seed is None else seed


def training_params(section):
    """The config section a training rule depends on (see APPLY_ONLY)."""
    spec = config[section]
    if spec["training"].get("monitor", "val_loss") != "val_loss":
        return spec
    return {k: v for k, v in spec.items() if k not in APPLY_ONLY[section]}


def device_of(kind):
    return inference_device(config) if kind == "inference" else "cpu"


def model_files(stage, stem):
    return [f"{MODELS}/{stage}/{stem}.pt", f"{MODELS}/{stage}/{stem}.json"]


def shards_of(prefix, names, suffix=".h5"):
    return [f"{prefix}/{s}{suffix}" for s in names]


def timing_files(wildcards):
    """Per-shard timing records of a method's chain on the test events."""
    if wildcards.method == "ckf":
        return expand(f"{RUN}/tracks/ckf/{{shard}}.timing.json", shard=TEST_SHARDS)
    if wildcards.method == "gnn":
        return GNN_TIMING_FILES
    if wildcards.method == "gnn_kf":
        # the GNN chain, then the fit
        return GNN_TIMING_FILES + expand(
            f"{RUN}/tracks/gnn_kf/{{shard}}.timing.json", shard=TEST_SHARDS
        )
    return []


def chain_benchmarks(wildcards):
    """Benchmark files of the jobs of each compared method's chain on the test shards
    (their max_rss is the method's peak memory)."""
    rules = {r for m in METHODS for r in COMPARISON_METHODS.get(m, ("", ()))[1]}
    return [f"{RUN}/benchmarks/{r}/{s}.tsv" for r in sorted(rules) for s in TEST_SHARDS]
