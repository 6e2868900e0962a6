# Evaluation: the truth-seeded reference, metrics of each method on the test shards, report.

METHODS = ["gnn"] if HAS_TRUTH else []
if HAS_TRUTH and config["evaluation"]["kalman_fit"]:
    METHODS.append("gnn_kf")
if HAS_TRUTH and config["evaluation"]["reference"]:
    METHODS.append("reference")
if HAS_TRUTH and config["evaluation"]["acts_ckf"]:
    METHODS.append("ckf")
if HAS_TRUTH:
    REPORT_OUTPUTS = [f"{RUN}/report/summary.md"]
    if VAL_SHARDS and GRAPH_METHOD == "metric_learning":
        # edge efficiency vs edges per hit over metric_learning.curve_radii, in the report
        REPORT_OUTPUTS.append(f"{RUN}/graphs/radius_scan.png")
    if config["evaluation"]["compare_gnn"] and not config["inference"]["models_dir"]:
        REPORT_OUTPUTS.append(f"{RUN}/comparison/comparison.md")
else:
    # inference only: the track candidates of every event, one CSV per shard
    REPORT_OUTPUTS = [f"{RUN}/tracks/gnn/{shard}.csv" for shard in SHARDS]
    if config["evaluation"]["kalman_fit"]:
        REPORT_OUTPUTS += [f"{RUN}/tracks/gnn_kf/{shard}.csv" for shard in SHARDS]
if config["evaluation"]["acts_ckf"] and TEST_SHARDS:
    # truth-free proxy: how far the GNN's and the CKF's tracks agree (real events too)
    REPORT_OUTPUTS.append(f"{RUN}/agreement/gnn_ckf.json")
if HAS_TRUTH and config["evaluation"]["acts_ckf"] and TEST_SHARDS:
    # the comparison table of every method, full detector and pixel only (issue #24)
    REPORT_OUTPUTS.append(f"{RUN}/report/comparison.json")
# per-shard stage records of the GNN chain on the test events (compute time per event)
GNN_TIMING_FILES = [
    f"{RUN}/{stage}/{shard}.json"
    for stage in ("feature_store", "graphs", "filtered", "scored")
    for shard in TEST_SHARDS
] + [f"{RUN}/tracks/gnn/{shard}.timing.json" for shard in TEST_SHARDS]


rule reference_tracks:
    input:
        f"{RUN}/events/{{shard}}",
    output:
        f"{RUN}/tracks/reference/{{shard}}.csv",
    log:
        f"{RUN}/logs/reference_tracks/{{shard}}.log",
    benchmark:
        f"{RUN}/benchmarks/reference_tracks/{{shard}}.tsv"
    conda:
        CONDA_ENV
    threads: 1
    resources:
        **resources_of("cpu"),
    params:
        code=command_code("reference-tracks"),
    shell:
        "trackgnn reference-tracks --events-dir {input:q} --out {output:q} > {log:q} 2>&1"


rule acts_ckf:
    input:
        events=f"{RUN}/events/{{shard}}",
    output:
        tracks=f"{RUN}/tracks/ckf/{{shard}}.csv",
        timing=f"{RUN}/tracks/ckf/{{shard}}.timing.json",
    log:
        f"{RUN}/logs/acts_ckf/{{shard}}.log",
    benchmark:
        f"{RUN}/benchmarks/acts_ckf/{{shard}}.tsv"
    conda:
        CONDA_ENV
    threads: config["acts_ckf"]["threads"]
    resources:
        **resources_of("cpu"),
    params:
        cfg=RESOLVED,
        acts_ckf=config["acts_ckf"],
        bfield=config["simulation"]["bfield_t"],
        code=command_code("acts-ckf"),
    shell:
        "trackgnn acts-ckf --config {params.cfg:q} --events-dir {input.events:q} --out {output.tracks:q} "
        "--timing {output.timing:q} > {log:q} 2>&1"


rule evaluate:
    input:
        tracks=expand(f"{RUN}/tracks/{{{{method}}}}/{{shard}}.csv", shard=TEST_SHARDS),
        events=expand(f"{RUN}/events/{{shard}}", shard=TEST_SHARDS),
        timing=timing_files,
    output:
        f"{RUN}/evaluation/{{method}}.json",
    log:
        f"{RUN}/logs/evaluate/{{method}}.log",
    benchmark:
        f"{RUN}/benchmarks/evaluate/{{method}}.tsv"
    conda:
        CONDA_ENV
    threads: 1
    resources:
        **resources_of("cpu"),
    params:
        cfg=RESOLVED,
        # the switches only add jobs (baseline, comparison): not a reason to re-evaluate
        evaluation={
            k: v
            for k, v in config["evaluation"].items()
            if k not in ("acts_ckf", "reference", "compare_gnn", "kalman_fit")
        },
        code=command_code("evaluate"),
    shell:
        "trackgnn evaluate --config {params.cfg:q} --method {wildcards.method:q} "
        "--tracks {input.tracks:q} --event-dirs {input.events:q} --timing {input.timing:q} --out {output:q} > {log:q} 2>&1"


rule report:
    input:
        results=expand(f"{RUN}/evaluation/{{method}}.json", method=METHODS),
        display_events=f"{RUN}/events/{TEST_SHARDS[0]}" if TEST_SHARDS else [],
        display_tracks=f"{RUN}/tracks/gnn/{TEST_SHARDS[0]}.csv" if TEST_SHARDS else [],
        graphs=expand(f"{RUN}/graphs/{{shard}}.json", shard=TEST_SHARDS),
    output:
        summary=report(f"{RUN}/report/summary.md", category="Results"),
        plots=report(
            directory(f"{RUN}/report/plots"),
            patterns=["{name}.png"],
            category="Plots",
        ),
    log:
        f"{RUN}/logs/report.log",
    benchmark:
        f"{RUN}/benchmarks/report.tsv"
    conda:
        CONDA_ENV
    threads: 1
    resources:
        **resources_of("cpu"),
    params:
        run=lambda wildcards, output: os.path.dirname(os.path.dirname(output.summary)),
        code=command_code("summary"),
    shell:
        "trackgnn summary --results {params.run:q} --markdown {output.summary:q} --plots {output.plots:q} "
        "--display-events {input.display_events:q} --display-tracks {input.display_tracks:q} "
        "--graph-metrics {input.graphs:q} > {log:q} 2>&1"


rule agreement:
    input:
        tracks=expand(f"{RUN}/tracks/gnn/{{shard}}.csv", shard=TEST_SHARDS),
        reference=expand(f"{RUN}/tracks/ckf/{{shard}}.csv", shard=TEST_SHARDS),
        events=expand(f"{RUN}/events/{{shard}}", shard=TEST_SHARDS),
    output:
        f"{RUN}/agreement/gnn_ckf.json",
    log:
        f"{RUN}/logs/agreement.log",
    benchmark:
        f"{RUN}/benchmarks/agreement.tsv"
    conda:
        CONDA_ENV
    threads: 1
    resources:
        **resources_of("cpu"),
    params:
        code=command_code("agreement"),
        pt_min=config["diagnostics"]["agreement_pt_min"],
        bfield_t=config["simulation"]["bfield_t"],
    shell:
        "trackgnn agreement --tracks {input.tracks:q} --reference {input.reference:q} "
        "--events {input.events:q} --pt-min {params.pt_min} --bfield-t {params.bfield_t} "
        "--out {output:q} > {log:q} 2>&1"


rule compare:
    input:
        results=expand(f"{RUN}/evaluation/{{method}}.json", method=METHODS),
        tracks=expand(
            f"{RUN}/tracks/{{method}}/{{shard}}.csv", method=METHODS, shard=TEST_SHARDS
        ),
        events=expand(f"{RUN}/events/{{shard}}", shard=TEST_SHARDS),
        benchmarks=chain_benchmarks,
    output:
        json=f"{RUN}/report/comparison.json",
        markdown=f"{RUN}/report/comparison.md",
    log:
        f"{RUN}/logs/compare.log",
    benchmark:
        f"{RUN}/benchmarks/compare.tsv"
    conda:
        CONDA_ENV
    threads: 1
    resources:
        **resources_of("cpu"),
    params:
        cfg=RESOLVED,
        run=lambda wildcards, output: os.path.dirname(os.path.dirname(output.json)),
        # in the table's row order
        methods=[m for m in COMPARISON_METHODS if m in METHODS],
        # the targets it recomputes the pixel-only figures with
        evaluation={k: config["evaluation"][k] for k in ("target", "extra_targets")},
        code=command_code("compare"),
    shell:
        "trackgnn compare --config {params.cfg:q} --results {params.run:q} --methods {params.methods:q} "
        "--out-json {output.json:q} --markdown {output.markdown:q} > {log:q} 2>&1"
