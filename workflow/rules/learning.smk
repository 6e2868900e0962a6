# The learned stages after graph construction: feature store -> (graphs.smk) -> filter ->
# GNN -> track building. Training rules are one job each; per-event rules one job per shard.
# Model files (outputs) and training work folders (checkpoints, logs: not outputs, so a
# killed training resumes from its last checkpoint) live under {RUN}/models/<stage>/.


rule feature_store:
    input:
        events=f"{RUN}/events/{{shard}}",
    output:
        shard=f"{FS}/{{shard}}.h5",
        timing=f"{FS}/{{shard}}.json",
    log:
        f"{RUN}/logs/feature_store/{{shard}}.log",
    benchmark:
        f"{RUN}/benchmarks/feature_store/{{shard}}.tsv"
    conda:
        CONDA_ENV
    threads: 1
    resources:
        **resources_of("cpu"),
    params:
        cfg=RESOLVED,
        feature_store=config["feature_store"],
        events=shard_events,
        code=command_code("feature-store"),
    shell:
        "trackgnn feature-store --config {params.cfg:q} --input {input.events:q} --events {params.events:q} "
        "--out {output.shard:q} --timing {output.timing:q} > {log:q} 2>&1"


if HAS_TRUTH and not config["inference"]["models_dir"]:

    rule train_filter:
        input:
            train=shards_of(f"{RUN}/graphs", TRAIN_SHARDS),
            val=shards_of(f"{RUN}/graphs", VAL_SHARDS),
        output:
            model_files("filter", "filter"),
            metrics=f"{MODELS}/filter/metrics.json",
        log:
            f"{RUN}/logs/train_filter.log",
        benchmark:
            f"{RUN}/benchmarks/train_filter.tsv"
        conda:
            CONDA_ENV
        threads: RES["training"]["threads"]
        resources:
            **resources_of("training"),
        params:
            cfg=RESOLVED,
            filtering=training_params("filtering"),
            seed=training_seed("filtering"),
            out=lambda wildcards, output: os.path.dirname(output.metrics),
            code=command_code("train-filter"),
        shell:
            "trackgnn train-filter --config {params.cfg:q} --train {input.train:q} --val {input.val:q} "
            "--out {params.out:q} > {log:q} 2>&1"

    rule train_gnn:
        input:
            train=shards_of(f"{RUN}/filtered", TRAIN_SHARDS),
            val=shards_of(f"{RUN}/filtered", VAL_SHARDS),
        output:
            model_files("gnn", "gnn"),
            metrics=f"{MODELS}/gnn/metrics.json",
        log:
            f"{RUN}/logs/train_gnn.log",
        benchmark:
            f"{RUN}/benchmarks/train_gnn.tsv"
        conda:
            CONDA_ENV
        threads: RES["training"]["threads"]
        resources:
            **resources_of("training"),
        params:
            cfg=RESOLVED,
            gnn=training_params("gnn"),
            seed=training_seed("gnn"),
            out=lambda wildcards, output: os.path.dirname(output.metrics),
            code=command_code("train-gnn"),
        shell:
            "trackgnn train-gnn --config {params.cfg:q} --train {input.train:q} --val {input.val:q} "
            "--out {params.out:q} > {log:q} 2>&1"

    rule compare_gnn:
        input:
            train=shards_of(f"{RUN}/filtered", TRAIN_SHARDS),
            val=shards_of(f"{RUN}/filtered", VAL_SHARDS),
            test=shards_of(f"{RUN}/filtered", TEST_SHARDS),
        output:
            table=report(f"{RUN}/comparison/comparison.md", category="Model comparison"),
            csv=f"{RUN}/comparison/comparison.csv",
            json=f"{RUN}/comparison/comparison.json",
        log:
            f"{RUN}/logs/compare_gnn.log",
        benchmark:
            f"{RUN}/benchmarks/compare_gnn.tsv"
        conda:
            CONDA_ENV
        threads: RES["training"]["threads"]
        resources:
            **resources_of("training"),
        params:
            cfg=RESOLVED,
            gnn=config["gnn"],
            seed=training_seed("gnn"),
            out=lambda wildcards, output: os.path.dirname(output.json),
            code=command_code("compare-gnn"),
        shell:
            "trackgnn compare-gnn --config {params.cfg:q} --train {input.train:q} --val {input.val:q} "
            "--test {input.test:q} --out {params.out:q} > {log:q} 2>&1"


rule filter_graphs:
    input:
        graphs=f"{RUN}/graphs/{{shard}}.h5",
        model=model_files("filter", "filter"),
    output:
        graphs=f"{RUN}/filtered/{{shard}}.h5",
        metrics=f"{RUN}/filtered/{{shard}}.json",
    log:
        f"{RUN}/logs/filter_graphs/{{shard}}.log",
    benchmark:
        f"{RUN}/benchmarks/filter_graphs/{{shard}}.tsv"
    conda:
        CONDA_ENV
    threads: 1
    resources:
        **resources_of("inference"),
    params:
        cfg=RESOLVED,
        filtering=config["filtering"],
        model=lambda wildcards, input: os.path.dirname(input.model[0]),
        device=device_of("inference"),
        code=command_code("filter-graphs"),
    shell:
        "trackgnn filter-graphs --config {params.cfg:q} --model {params.model:q} --input {input.graphs:q} "
        "--out {output.graphs:q} --metrics {output.metrics:q} --device {params.device:q} > {log:q} 2>&1"


rule score_edges:
    input:
        graphs=f"{RUN}/filtered/{{shard}}.h5",
        model=model_files("gnn", "gnn"),
    output:
        graphs=f"{RUN}/scored/{{shard}}.h5",
        metrics=f"{RUN}/scored/{{shard}}.json",
    log:
        f"{RUN}/logs/score_edges/{{shard}}.log",
    benchmark:
        f"{RUN}/benchmarks/score_edges/{{shard}}.tsv"
    conda:
        CONDA_ENV
    threads: 1
    resources:
        **resources_of("inference"),
    params:
        cfg=RESOLVED,
        gnn=config["gnn"],
        model=lambda wildcards, input: os.path.dirname(input.model[0]),
        device=device_of("inference"),
        code=command_code("score-edges"),
    shell:
        "trackgnn score-edges --config {params.cfg:q} --model {params.model:q} --input {input.graphs:q} "
        "--out {output.graphs:q} --metrics {output.metrics:q} --device {params.device:q} > {log:q} 2>&1"


rule build_tracks:
    input:
        scored=f"{RUN}/scored/{{shard}}.h5",
    output:
        tracks=f"{RUN}/tracks/gnn/{{shard}}.csv",
        timing=f"{RUN}/tracks/gnn/{{shard}}.timing.json",
    log:
        f"{RUN}/logs/build_tracks/{{shard}}.log",
    benchmark:
        f"{RUN}/benchmarks/build_tracks/{{shard}}.tsv"
    conda:
        CONDA_ENV
    threads: 1
    resources:
        **resources_of("cpu"),
    params:
        cfg=RESOLVED,
        track_building=config["track_building"],
        code=command_code("build-tracks"),
    shell:
        "trackgnn build-tracks --config {params.cfg:q} --input {input.scored:q} --out {output.tracks:q} "
        "--timing {output.timing:q} > {log:q} 2>&1"
